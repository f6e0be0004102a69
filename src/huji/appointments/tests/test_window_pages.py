"""Station staff: window hours, the day's bookings, the visit (pages and API)."""

import datetime
import json

import pytest
from django.urls import reverse

from huji.accounts.tests.helpers import sign_in_staff
from huji.applications.constants import State
from huji.applications.tests import factories as app_factories
from huji.appointments.models import WindowSlotTemplate
from huji.appointments.tests.factories import book, make_slot

TUESDAY = datetime.date(2026, 12, 1)


@pytest.fixture
def booking(world):
    application = app_factories.pre_approved(world)
    return book(application, make_slot(world.station, day=TUESDAY))


def test_hours_page_saves_templates(client, world):
    sign_in_staff(client, world.head)
    url = reverse("backoffice:window_hours")
    assert client.get(url).status_code == 200
    data = {
        "hours-TOTAL_FORMS": "2",
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "60",
        "hours-0-weekday": "0",
        "hours-0-start_time": "09:00",
        "hours-0-end_time": "11:30",
        "hours-0-capacity": "6",
        "hours-1-weekday": "",
        "hours-1-start_time": "",
        "hours-1-end_time": "",
        "hours-1-capacity": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    template = WindowSlotTemplate.objects.get(station=world.station)
    assert (template.weekday, template.capacity) == (0, 6)
    assert template.end_time == datetime.time(11, 30)
    data["hours-0-end_time"] = "08:00"
    response = client.post(url, data)
    assert "结束时间必须晚于开始时间" in response.content.decode()


def test_hours_page_refused_to_other_roles(client, world):
    sign_in_staff(client, world.district_approver)
    assert client.get(reverse("backoffice:window_hours")).status_code == 403


def test_today_lists_the_station_bookings_only(client, world, booking, frozen):
    frozen.move_to("2026-12-01 08:30:00+08:00")
    sign_in_staff(client, world.officer)
    body = client.get(reverse("backoffice:window_today")).content.decode()
    assert booking.application.number in body
    client.logout()
    sign_in_staff(client, world.other_officer)
    body = client.get(reverse("backoffice:window_today")).content.decode()
    assert booking.application.number not in body
    url = reverse("backoffice:window_visit", args=[booking.pk])
    assert client.get(url).status_code == 404


def test_visit_page_complete(client, world, booking):
    sign_in_staff(client, world.officer)
    url = reverse("backoffice:window_visit", args=[booking.pk])
    page = client.get(url).content.decode()
    assert "居民身份证" in page and "居民户口簿" in page
    response = client.post(
        url,
        {"decision": "complete", "originals": ["居民身份证"], "issued": "户口簿新页"},
    )
    assert "居民户口簿" in response.content.decode()
    assert "尚未核验" in response.content.decode()
    response = client.post(
        url,
        {
            "decision": "complete",
            "originals": ["居民身份证", "居民户口簿"],
            "issued": "户口簿新页",
        },
    )
    assert response.status_code == 302
    booking.application.refresh_from_db()
    assert booking.application.state == State.COMPLETED


def test_visit_page_refuse(client, world, booking):
    sign_in_staff(client, world.officer)
    url = reverse("backoffice:window_visit", args=[booking.pk])
    client.post(url, {"decision": "refuse", "reasons": "原件与照片不一致"})
    booking.application.refresh_from_db()
    assert booking.application.state == State.REFUSED_AT_WINDOW


def test_api_window(client, world, booking):
    sign_in_staff(client, world.other_officer)
    url = f"/api/v1/appointments/window/bookings/{booking.pk}/complete"
    payload = {
        "originals_checked": ["居民身份证", "居民户口簿"],
        "issued": ["户口簿新页"],
    }
    response = client.post(url, json.dumps(payload), content_type="application/json")
    assert response.status_code == 404
    client.logout()
    sign_in_staff(client, world.officer)
    listing = client.get("/api/v1/appointments/window/bookings?day=2026-12-01").json()
    assert [b["application"] for b in listing["items"]] == [booking.application.number]
    response = client.post(url, json.dumps(payload), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "attended"


def test_api_hours(client, world):
    sign_in_staff(client, world.officer)
    rows = [{"weekday": 2, "start_time": "13:30", "end_time": "16:00", "capacity": 3}]
    response = client.put(
        "/api/v1/appointments/window/hours",
        json.dumps(rows),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert client.get("/api/v1/appointments/window/hours").json() == [
        {"weekday": 2, "start_time": "13:30:00", "end_time": "16:00:00", "capacity": 3}
    ]
