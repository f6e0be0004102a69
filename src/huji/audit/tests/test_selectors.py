import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from huji.accounts.constants import StaffRole
from huji.accounts.tests.factories import ResidentFactory, StaffFactory
from huji.audit.selectors import audit_events_for, audit_events_list
from huji.audit.services import audit_record
from huji.organizations.models import Organisation

pytestmark = pytest.mark.django_db


def _staff(code, role):
    return StaffFactory(organisation=Organisation.objects.get(code=code), role=role)


@pytest.fixture
def trail():
    xujiahui = _staff("310104014-PCS", StaffRole.STATION_OFFICER)
    tianping = _staff("310104003-PCS", StaffRole.STATION_OFFICER)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)):
        audit_record(
            actor=xujiahui, action="read:id_number", object_type="a", object_id="1"
        )
    with time_machine.travel(datetime.datetime(2026, 3, 5, 10, tzinfo=datetime.UTC)):
        audit_record(
            actor=tianping, action="application_claim", object_type="a", object_id="2"
        )
        audit_record(
            actor=xujiahui, action="application_claim", object_type="a", object_id="1"
        )
    return xujiahui, tianping


def test_auditors_see_every_event_and_officers_only_their_station(trail):
    xujiahui, tianping = trail
    auditor = _staff("SHPSB", StaffRole.AUDITOR)

    assert audit_events_list(user=auditor).count() == 3
    own = audit_events_list(user=xujiahui)
    assert own.count() == 2
    assert {e.organisation.code for e in own} == {"310104014-PCS"}
    assert "310104014-PCS" not in {
        e.organisation.code for e in audit_events_list(user=tianping)
    }


def test_residents_and_anonymous_see_nothing(trail):
    assert not audit_events_list(user=ResidentFactory()).exists()
    assert not audit_events_list(user=AnonymousUser()).exists()


def test_filters(trail):
    auditor = _staff("SHPSB", StaffRole.SYSTEM_ADMIN)
    xujiahui, _ = trail

    assert audit_events_list(user=auditor, action="read:").count() == 1
    assert audit_events_list(user=auditor, object_type="a", object_id="1").count() == 2
    assert (
        audit_events_list(user=auditor, actor_username=xujiahui.username).count() == 2
    )
    assert (
        audit_events_list(user=auditor, organisation_code="310104003-PCS").count() == 1
    )
    day = datetime.date(2026, 3, 5)
    assert audit_events_list(user=auditor, date_from=day, date_to=day).count() == 2
    assert (
        audit_events_list(user=auditor, date_to=datetime.date(2026, 3, 4)).count() == 1
    )


def test_one_record_history_newest_first(trail):
    history = list(audit_events_for(object_type="a", object_id=1))

    assert [e.action for e in history] == ["application_claim", "read:id_number"]
