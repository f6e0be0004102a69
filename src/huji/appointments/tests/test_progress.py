"""The public progress query: page and API, nothing personal, rate-limited."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from huji.applications.tests import factories as app_factories


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_page_shows_state_without_personal_data(client, world):
    application = app_factories.submitted(world)
    person = application.applicant_person
    response = client.post(
        reverse("public:progress"),
        {"number": application.number.lower(), "id_last4": person.id_number[-4:]},
    )
    body = response.content.decode()
    assert application.number in body
    assert "已提交，待受理" in body
    assert person.name not in body
    assert person.id_number not in body
    assert world.resident.mobile not in body


def test_wrong_suffix_and_unknown_number_look_the_same(client, world):
    application = app_factories.submitted(world)
    wrong = client.post(
        reverse("public:progress"), {"number": application.number, "id_last4": "0000"}
    ).content.decode()
    unknown = client.post(
        reverse("public:progress"), {"number": "HJ20261130999999", "id_last4": "0000"}
    ).content.decode()
    assert "没有找到" in wrong and "没有找到" in unknown
    assert application.item_version.name not in wrong


def test_bad_input_names_the_field(client, db):
    body = client.post(
        reverse("public:progress"), {"number": "12", "id_last4": "1234"}
    ).content.decode()
    assert "申请编号格式不正确" in body


def test_api(client, world):
    application = app_factories.submitted(world)
    last4 = application.applicant_person.id_number[-4:]
    response = client.get(
        "/api/v1/progress", {"number": application.number, "id_last4": last4}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["number"] == application.number
    assert data["state"] == "submitted"
    assert "name" not in data and "id_number" not in data
    missing = client.get(
        "/api/v1/progress", {"number": application.number, "id_last4": "0000"}
    )
    assert missing.status_code == 404


def test_rate_limited_per_number_across_addresses(client, world):
    application = app_factories.submitted(world)
    last4 = application.applicant_person.id_number[-4:]
    for n in range(10):
        response = client.get(
            "/api/v1/progress",
            {"number": application.number, "id_last4": "0000"},
            REMOTE_ADDR=f"10.0.0.{n}",
        )
        assert response.status_code == 404
    # The right answer from a fresh address is still refused: the number is locked.
    response = client.get(
        "/api/v1/progress",
        {"number": application.number, "id_last4": last4},
        REMOTE_ADDR="10.0.1.1",
    )
    assert response.status_code == 429


def test_rate_limited_per_address(client, db):
    for n in range(20):
        response = client.post(
            reverse("public:progress"),
            {"number": f"HJ2026113000{n:04d}", "id_last4": "1234"},
        )
        assert response.status_code == 200
    response = client.post(
        reverse("public:progress"), {"number": "HJ20261130009999", "id_last4": "1234"}
    )
    assert response.status_code == 429
    assert "查询过于频繁" in response.content.decode()
