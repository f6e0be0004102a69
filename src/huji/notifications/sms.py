"""SMS backends. ``settings.HUJI_SMS_BACKEND`` names the class in use.

- ``DatabaseSmsBackend`` (development, tests, demo): nothing leaves the machine; the
  message is kept in ``SmsMessage`` and ``huji sms outbox`` prints it.
- ``HttpSmsBackend``: the adapter skeleton for a real provider (an SMS gateway with
  an HTTP API). Configure it and fill in ``build_request``/``parse_response`` for the
  provider chosen; it refuses to run until configured.
"""

import json
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


class SmsSendError(Exception):
    """The provider refused or failed to take the message (the task may retry)."""


class BaseSmsBackend:
    """Sends one text message; returns the provider's id for the message."""

    #: True when messages only land in the database (development outbox).
    stores_locally = False

    def send(self, phone: str, text: str) -> str:
        raise NotImplementedError


class DatabaseSmsBackend(BaseSmsBackend):
    """Development backend: the message stays in the database (the outbox)."""

    stores_locally = True

    def send(self, phone: str, text: str) -> str:
        from huji.notifications.models import SmsMessage

        message = SmsMessage.objects.create(
            phone=phone,
            text=text,
            status=SmsMessage.Status.STORED,
            backend=f"{type(self).__module__}.{type(self).__qualname__}",
        )
        return f"db-{message.pk}"


class HttpSmsBackend(BaseSmsBackend):
    """Adapter skeleton for a real SMS provider — configure a real provider first.

    Settings: ``HUJI_SMS_HTTP_URL``, ``HUJI_SMS_HTTP_TOKEN``, ``HUJI_SMS_SIGN_NAME``
    (the registered signature, e.g. 【上海公安】). The request/response shapes below
    are placeholders: adapt ``build_request`` and ``parse_response`` to the
    provider's documented API (most mainland providers also need a registered
    template id per message type).
    """

    timeout_seconds = 10

    def __init__(self):
        self.url = getattr(settings, "HUJI_SMS_HTTP_URL", "")
        self.token = getattr(settings, "HUJI_SMS_HTTP_TOKEN", "")
        self.sign_name = getattr(settings, "HUJI_SMS_SIGN_NAME", "")
        if not self.url or not self.token:
            raise ImproperlyConfigured(
                "HttpSmsBackend needs HUJI_SMS_HTTP_URL and HUJI_SMS_HTTP_TOKEN: "
                "configure a real SMS provider."
            )
        if not self.url.startswith("https://"):
            raise ImproperlyConfigured("HUJI_SMS_HTTP_URL must be an https:// URL.")

    def build_request(self, phone: str, text: str) -> urllib.request.Request:
        payload = {"phone": phone, "sign": self.sign_name, "text": text}
        return urllib.request.Request(  # noqa: S310 (https only, checked above)
            self.url,
            data=json.dumps(payload).encode(),
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
            },
            method="POST",
        )

    def parse_response(self, body: bytes) -> str:
        data = json.loads(body)
        if not data.get("ok"):
            raise SmsSendError(str(data.get("error", "provider refused")))
        return str(data["id"])

    def send(self, phone: str, text: str) -> str:
        request = self.build_request(phone, text)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as r:  # noqa: S310
                return self.parse_response(r.read())
        except OSError as exc:
            raise SmsSendError(str(exc)) from exc


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.HUJI_SMS_BACKEND)()
