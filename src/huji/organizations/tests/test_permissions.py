import pytest

from huji.accounts.constants import StaffRole
from huji.accounts.models import User
from huji.accounts.tests.factories import ResidentFactory, StaffFactory
from huji.organizations.models import Organisation
from huji.organizations.permissions import (
    can_access_organisation,
    scope_queryset,
    staff_scope,
)
from huji.organizations.tests.factories import make_street

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_stations():
    xujiahui = make_street(code="310104014", name="徐家汇街道")
    tianping = make_street(code="310104003", name="天平路街道")
    return xujiahui.police_station, tianping.police_station


def test_station_officer_sees_own_station_and_not_the_next(two_stations):
    own, other = two_stations
    officer = StaffFactory(organisation=own, role=StaffRole.STATION_OFFICER)

    assert can_access_organisation(officer, own.pk)
    assert not can_access_organisation(officer, other.pk)
    scoped = scope_queryset(
        officer, Organisation.objects.all(), organisation_field="pk"
    )
    assert list(scoped) == [own]


def test_district_approver_sees_every_station_of_the_branch(two_stations):
    own, other = two_stations
    approver = StaffFactory(organisation=own.parent, role=StaffRole.DISTRICT_APPROVER)

    assert can_access_organisation(approver, own.pk)
    assert can_access_organisation(approver, other.pk)


def test_center_clerk_is_city_wide_for_residence_only(two_stations):
    own, _ = two_stations
    center = Organisation.objects.get(code="310104014-CTR")
    clerk = StaffFactory(organisation=center, role=StaffRole.CENTER_CLERK)

    assert staff_scope(clerk, domain="residence").city_wide
    assert not can_access_organisation(clerk, own.pk, domain="household")


def test_residents_have_no_staff_scope(two_stations):
    own, _ = two_stations
    resident = ResidentFactory()

    assert not can_access_organisation(resident, own.pk)
    assert not scope_queryset(
        resident, User.objects.all(), organisation_field="organisation"
    ).exists()
