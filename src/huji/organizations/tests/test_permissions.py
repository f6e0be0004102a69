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


def _org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


# Each role family: (role, its organisation, a record's organisation it may see,
# one it may not — None for city-wide roles, refused to an outsider instead — and
# the domain of the refusal).
H, R = "household", "residence"
ROLE_CASES = [
    (StaffRole.STATION_HEAD, "310104014-PCS", "310104014-PCS", "310104003-PCS", H),
    (StaffRole.DISTRICT_APPROVER, "310104-FJ", "310104003-PCS", "310101002-PCS", H),
    (StaffRole.CITY_APPROVER, "SHPSB-POP", "310151101-PCS", None, H),
    (StaffRole.AUDITOR, "SHPSB", "310115004-PCS", None, H),
    (StaffRole.SYSTEM_ADMIN, "SHPSB", "310101002-PCS", None, H),
    # A center clerk serves any resident city-wide, but sees no household case.
    (StaffRole.CENTER_CLERK, "310104014-CTR", "310101002-CTR", "310104014-PCS", H),
    (StaffRole.CARD_PRODUCTION, "SHPSB-CARD", "SHPSB-CARD", "POST-SH", R),
    (StaffRole.POSTAL_COURIER, "POST-SH", "POST-SH", "SHPSB-CARD", R),
]


@pytest.mark.parametrize(("role", "own", "allowed", "refused", "domain"), ROLE_CASES)
def test_each_role_family_sees_its_scope_and_no_more(
    role, own, allowed, refused, domain
):
    staff = StaffFactory(organisation=_org(own), role=role)
    allowed_domain = R if role == StaffRole.CENTER_CLERK else domain
    outsider = StaffFactory(
        organisation=_org("310117001-PCS"), role=StaffRole.STATION_OFFICER
    )
    records = Organisation.objects.filter(code__in=[allowed, refused or ""])

    assert can_access_organisation(staff, _org(allowed).pk, domain=allowed_domain)
    seen = scope_queryset(
        staff, records, organisation_field="pk", domain=allowed_domain
    )
    assert allowed in set(seen.values_list("code", flat=True))
    if refused is None:
        assert not can_access_organisation(outsider, _org(allowed).pk, domain=domain)
        refused_for, refused_code = outsider, allowed
    else:
        assert not can_access_organisation(staff, _org(refused).pk, domain=domain)
        refused_for, refused_code = staff, refused
    seen = scope_queryset(refused_for, records, organisation_field="pk", domain=domain)
    assert refused_code not in set(seen.values_list("code", flat=True))


def test_district_approver_scope_is_the_branch_and_its_stations():
    approver = StaffFactory(
        organisation=_org("310104-FJ"), role=StaffRole.DISTRICT_APPROVER
    )

    scope = staff_scope(approver)

    xuhui_stations = Organisation.objects.filter(parent__code="310104-FJ")
    assert scope.organisation_ids == {_org("310104-FJ").pk} | set(
        xuhui_stations.values_list("pk", flat=True)
    )
    assert len(scope.organisation_ids) == 15
    assert not scope.covers(_org("310104014-CTR").pk)


def test_anonymous_users_have_no_scope(rf):
    from django.contrib.auth.models import AnonymousUser

    assert not staff_scope(AnonymousUser()).covers(_org("SHPSB").pk)
    assert not can_access_organisation(None, _org("SHPSB").pk)
