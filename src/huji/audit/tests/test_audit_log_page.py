import pytest
from django.urls import reverse

from huji.accounts.constants import StaffRole
from huji.accounts.tests.factories import StaffFactory
from huji.accounts.tests.helpers import sign_in_staff
from huji.audit.models import AuditEvent
from huji.audit.services import audit_record
from huji.organizations.models import Organisation

pytestmark = pytest.mark.django_db

URL = reverse("backoffice:audit_log")


def _staff(code, role):
    return StaffFactory(organisation=Organisation.objects.get(code=code), role=role)


@pytest.fixture
def officer():
    return _staff("310104014-PCS", StaffRole.STATION_OFFICER)


@pytest.fixture
def events(officer):
    for n in range(60):
        audit_record(
            actor=officer, action="application_claim", object_type="a", object_id=str(n)
        )
    audit_record(actor=officer, action="read:id_number", object_type="a", object_id="7")


def test_an_auditor_reads_the_log_and_the_reading_is_recorded(client, events):
    auditor = sign_in_staff(client, _staff("SHPSB", StaffRole.AUDITOR))

    response = client.get(URL, {"action": "read:"})

    assert response.status_code == 200
    assert [e.action for e in response.context["events"]] == ["read:id_number"]
    content = response.content.decode()
    assert "read:id_number" in content and "徐家汇派出所" in content
    reading = AuditEvent.objects.get(action="read:audit_log")
    assert reading.actor == auditor
    assert reading.changes["filters"] == {"action": "read:"}


def test_the_log_is_paginated(client, events, django_assert_max_num_queries):
    sign_in_staff(client, _staff("SHPSB", StaffRole.SYSTEM_ADMIN))

    claims = {"action": "application_claim"}

    with django_assert_max_num_queries(20):
        first = client.get(URL, claims)
    second = client.get(URL, claims | {"page": 2})

    assert len(first.context["events"]) == 50
    assert first.context["page"].paginator.count == 60
    assert len(second.context["events"]) == 10
    assert "action=application_claim&amp;page=2" in first.content.decode()


def test_a_station_officer_is_refused(client, officer, events):
    sign_in_staff(client, officer)

    response = client.get(URL)

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="read:audit_log").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("backoffice:sign_in") in response["Location"]


def test_a_reversed_date_range_is_explained(client, events):
    sign_in_staff(client, _staff("SHPSB", StaffRole.AUDITOR))

    response = client.get(URL, {"date_from": "2026-03-05", "date_to": "2026-03-01"})

    assert response.status_code == 200
    assert "截止日期不能早于起始日期" in response.content.decode()
