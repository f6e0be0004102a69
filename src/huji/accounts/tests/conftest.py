import re

import pytest

from huji.notifications.models import SmsMessage


def latest_code(phone: str) -> str:
    message = SmsMessage.objects.filter(phone=phone).order_by("-id").first()
    assert message is not None, f"no SMS to {phone}"
    return re.search(r"验证码为(\d{6})", message.text).group(1)


@pytest.fixture
def request_code(client, django_capture_on_commit_callbacks):
    """Ask for a sign-in code through the page; return the code from the outbox."""

    def ask(phone: str, *, client=client) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/me/sign-in/", {"phone": phone})
        assert response.status_code == 302, response.content.decode()[:2000]
        return latest_code(phone)

    return ask
