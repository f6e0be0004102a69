import pytest

from huji.accounts.tests.factories import ResidentFactory, StaffFactory
from huji.accounts.tests.helpers import sign_in_resident, sign_in_staff
from huji.notifications.models import Message
from huji.notifications.services import notification_send

pytestmark = pytest.mark.django_db


def _send(user, n=1, link=""):
    return [
        notification_send(
            recipient=user,
            event="test",
            context={"name": f"n{i}"},
            link=link,
            sms=False,
        )
        for i in range(n)
    ]


def test_resident_message_box_lists_and_marks_read(client):
    resident = sign_in_resident(client, ResidentFactory())
    [message] = _send(resident, link="/me/account/")
    _send(ResidentFactory())  # someone else's

    page = client.get("/me/messages/").content.decode()
    assert page.count("测试通知") == 1
    assert "未读" in page

    response = client.post(f"/me/messages/{message.pk}/read/")
    assert response.url == "/me/account/"
    message.refresh_from_db()
    assert message.read_at is not None


def test_cannot_read_someone_elses_message(client):
    sign_in_resident(client, ResidentFactory())
    [other] = _send(ResidentFactory())
    assert client.post(f"/me/messages/{other.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_message_box_is_paginated(client):
    resident = sign_in_resident(client, ResidentFactory())
    _send(resident, 25)
    first = client.get("/me/messages/").content.decode()
    second = client.get("/me/messages/?page=2").content.decode()
    assert first.count("<li>") == 20
    assert second.count("<li>") == 5


def test_staff_message_box(client):
    officer = sign_in_staff(client, StaffFactory())
    [message] = _send(officer)
    assert "测试通知" in client.get("/staff/messages/").content.decode()
    client.post(f"/staff/messages/{message.pk}/read/")
    message.refresh_from_db()
    assert message.is_read


def test_api_lists_paginated_and_marks_read(client):
    resident = sign_in_resident(client, ResidentFactory())
    messages = _send(resident, 3)
    _send(ResidentFactory())

    body = client.get("/api/v1/notifications/messages?limit=2").json()
    assert body["count"] == 3
    assert [m["id"] for m in body["items"]] == [messages[2].pk, messages[1].pk]

    response = client.post(f"/api/v1/notifications/messages/{messages[0].pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    unread = client.get("/api/v1/notifications/messages/unread-count").json()
    assert unread == {"unread": 2}

    client.post("/api/v1/notifications/messages/read-all")
    assert not Message.objects.filter(recipient=resident, read_at__isnull=True).exists()


def test_api_hides_other_peoples_messages(client):
    sign_in_resident(client, ResidentFactory())
    [other] = _send(ResidentFactory())
    response = client.post(f"/api/v1/notifications/messages/{other.pk}/read")
    assert response.status_code == 404


def test_api_needs_sign_in(client):
    assert client.get("/api/v1/notifications/messages").status_code == 401
