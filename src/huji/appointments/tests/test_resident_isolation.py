"""Residents only ever see their own applications: for every resident page and API
endpoint, the owner succeeds and another resident gets the same 404 as for a
missing application, on the same setup."""

import datetime
import json

import pytest
from django.urls import reverse

from huji.accounts.tests.helpers import sign_in_resident
from huji.applications.models import MaterialPage
from huji.applications.tests import factories as app_factories
from huji.appointments.tests.factories import book, make_slot

TUESDAY = datetime.date(2026, 12, 1)


def _make(world, state):
    return {
        "draft": app_factories.draft,
        "submitted": app_factories.submitted,
        "correction": app_factories.correction_requested,
        "pre_approved": app_factories.pre_approved,
    }[state](world)


# (url name, state the application must be in, method, owner's status)
PAGES = [
    ("portal:application_detail", "draft", "get", 200),
    ("portal:application_form", "draft", "get", 200),
    ("portal:application_materials", "draft", "get", 200),
    ("portal:application_review", "draft", "get", 200),
    ("portal:application_withdraw", "draft", "get", 200),
    ("portal:application_material_upload", "draft", "post", 302),
    ("portal:application_submitted", "submitted", "get", 200),
    ("portal:application_detail", "submitted", "get", 200),
    ("portal:application_correction", "correction", "get", 200),
    ("portal:application_visit", "pre_approved", "get", 200),
    ("portal:application_withdraw", "submitted", "post", 302),
    ("portal:application_visit", "pre_approved", "post", 302),
]


def _args(name, application):
    if name == "portal:application_material_upload":
        return [application.ref, application.slots.first().slot_key]
    return [application.ref]


@pytest.mark.parametrize(("name", "state", "method", "owner_status"), PAGES)
def test_pages_own_application_only(client, world, name, state, method, owner_status):
    application = _make(world, state)
    url = reverse(name, args=_args(name, application))
    sign_in_resident(client, world.other_resident)
    refused = getattr(client, method)(url)
    assert refused.status_code == 404
    application.refresh_from_db()
    before = application.state
    client.logout()
    sign_in_resident(client, world.resident)
    allowed = getattr(client, method)(url)
    assert allowed.status_code == owner_status
    if name == "portal:application_withdraw" and method == "post":
        application.refresh_from_db()
        assert (before, application.state) == ("submitted", "withdrawn")


def test_page_removal_own_only(client, world):
    application = app_factories.draft(world)
    page = MaterialPage.objects.filter(slot__application=application).first()
    url = reverse("portal:application_material_remove", args=[application.ref, page.pk])
    sign_in_resident(client, world.other_resident)
    assert client.post(url).status_code == 404
    assert MaterialPage.objects.filter(pk=page.pk).exists()
    client.logout()
    sign_in_resident(client, world.resident)
    assert client.post(url).status_code == 302
    assert not MaterialPage.objects.filter(pk=page.pk).exists()


def test_list_shows_own_applications_only(client, world):
    mine = app_factories.submitted(world)
    theirs = app_factories.submitted(world, resident=world.other_resident)
    sign_in_resident(client, world.resident)
    body = client.get(reverse("portal:applications")).content.decode()
    assert mine.number in body
    assert theirs.number not in body


API = "/api/v1/appointments/applications/{number}/"


def _api(client, method, url, data=None):
    kwargs = {}
    if data is not None:
        kwargs = {"data": json.dumps(data), "content_type": "application/json"}
    return getattr(client, method)(url, **kwargs)


@pytest.mark.parametrize(
    ("path", "method", "payload", "booked", "owner_status"),
    [
        ("slots", "get", None, False, 200),
        ("booking", "post", "slot", False, 201),
        ("booking", "get", None, True, 200),
        ("booking", "put", "slot2", True, 200),
        ("booking", "delete", None, True, 200),
    ],
)
def test_api_own_application_only(
    client, world, path, method, payload, booked, owner_status
):
    application = app_factories.pre_approved(world)
    slot = make_slot(world.station, day=TUESDAY)
    slot2 = make_slot(world.station, day=TUESDAY, hour=14)
    if booked:
        book(application, slot)
    data = {"slot": {"slot_id": slot.pk}, "slot2": {"slot_id": slot2.pk}}.get(payload)
    url = API.format(number=application.number) + path
    sign_in_resident(client, world.other_resident)
    assert _api(client, method, url, data).status_code == 404
    client.logout()
    sign_in_resident(client, world.resident)
    response = _api(client, method, url, data)
    assert response.status_code == owner_status, response.content


def test_api_needs_sign_in(client, world):
    application = app_factories.pre_approved(world)
    url = API.format(number=application.number) + "slots"
    assert client.get(url).status_code == 401
