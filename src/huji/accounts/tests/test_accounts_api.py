import pytest

from huji.accounts.models import User
from huji.accounts.tests.conftest import latest_code
from huji.accounts.tests.factories import StaffFactory, make_id_number
from huji.accounts.tests.helpers import sign_in_staff

pytestmark = pytest.mark.django_db
PHONE = "13611112222"


def _post(client, url, data):
    return client.post(f"/api/v1/accounts{url}", data, content_type="application/json")


def test_sign_up_real_name_and_me_through_the_api(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, "/code", {"phone": PHONE})
    assert response.status_code == 200
    assert response.json() == {"phone": PHONE, "expires_in": 300, "resend_after": 60}

    response = _post(client, "/sign-in", {"phone": PHONE, "code": latest_code(PHONE)})
    assert response.status_code == 200
    assert response.json()["real_named"] is False

    number = make_id_number(seq=9)
    response = _post(client, "/real-name", {"name": "张三", "id_number": number})
    assert response.status_code == 200
    body = response.json()
    assert body["real_named"] is True
    assert body["masked_id_number"] == number[:4] + "*" * 10 + number[-4:]
    assert body["identity_level"] == "id_number"

    assert client.get("/api/v1/accounts/me").json()["name"] == "张三"
    assert _post(client, "/sign-out", {}).status_code == 204
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_api_throttles_with_429(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, "/code", {"phone": PHONE})
    response = _post(client, "/code", {"phone": PHONE})
    assert response.status_code == 429
    assert "秒后" in response.json()["detail"]


def test_api_real_name_errors_name_the_field(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, "/code", {"phone": PHONE})
    _post(client, "/sign-in", {"phone": PHONE, "code": latest_code(PHONE)})
    response = _post(client, "/real-name", {"name": "张三", "id_number": "123"})
    assert response.status_code == 400
    assert "id_number" in response.json()["errors"]


def test_api_csrf_enforced_for_anonymous_code_request():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = _post(strict, "/code", {"phone": PHONE})
    assert response.status_code == 403


def test_real_name_is_for_residents_only(client):
    sign_in_staff(client, StaffFactory())
    response = _post(client, "/real-name", {"name": "张三", "id_number": "x"})
    assert response.status_code == 401
    assert client.get("/api/v1/accounts/me").json()["kind"] == "staff"
    assert User.objects.filter(person__isnull=False).count() == 0
