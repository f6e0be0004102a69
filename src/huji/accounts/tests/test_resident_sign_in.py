import datetime

import pytest
import time_machine
from django.utils import timezone

from huji.accounts.constants import AccountKind
from huji.accounts.models import OneTimeCode, User
from huji.accounts.tests.factories import ResidentFactory, StaffFactory
from huji.audit.models import AuditEvent
from huji.notifications.models import SmsMessage

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


def _signed_in_user(client):
    return client.get("/healthz").wsgi_request.user


def test_first_sign_in_creates_the_account_and_asks_for_real_name(client, request_code):
    code = request_code(PHONE)

    response = client.post("/me/sign-in/code/", {"code": code})

    assert response.status_code == 302
    assert response.url.startswith("/me/real-name/")
    user = User.objects.get(mobile=PHONE)
    assert user.kind == AccountKind.RESIDENT
    assert not user.has_usable_password()
    assert _signed_in_user(client) == user
    actions = set(
        AuditEvent.objects.filter(actor=user).values_list("action", flat=True)
    )
    assert {"account:create", "sign_in"} <= actions


def test_code_page_says_where_the_code_went(client, request_code):
    request_code(PHONE)
    page = client.get("/me/sign-in/code/").content.decode()
    assert "138****5678" in page
    assert "huji sms outbox" in page


def test_only_a_hash_of_the_code_is_stored(client, request_code):
    code = request_code(PHONE)
    otp = OneTimeCode.objects.get(phone=PHONE)
    assert code not in otp.code_hash
    assert len(otp.code_hash) == 64


def test_existing_resident_goes_home(client, request_code):
    resident = ResidentFactory(mobile=PHONE)
    code = request_code(PHONE)
    response = client.post("/me/sign-in/code/", {"code": code})
    assert response.url == "/me/"
    assert _signed_in_user(client) == resident
    assert User.objects.filter(mobile=PHONE).count() == 1


def test_next_is_followed_but_not_off_site(client, request_code):
    ResidentFactory(mobile=PHONE)
    code = request_code(PHONE)
    response = client.post(
        "/me/sign-in/code/?next=https://evil.example/", {"code": code}
    )
    assert response.url == "/me/"


def test_code_is_single_use(client, request_code):
    ResidentFactory(mobile=PHONE)
    code = request_code(PHONE)
    assert client.post("/me/sign-in/code/", {"code": code}).status_code == 302
    client.post("/me/sign-out/")

    # Try the same code again (through the API, which takes the phone directly).
    response = client.post(
        "/api/v1/accounts/sign-in",
        {"phone": PHONE, "code": code},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "验证码已失效" in response.json()["detail"]
    assert not _signed_in_user(client).is_authenticated


def test_code_expires_after_five_minutes(client, request_code):
    code = request_code(PHONE)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=301)):
        response = client.post("/me/sign-in/code/", {"code": code})
    assert response.status_code == 200
    assert "验证码已失效" in response.content.decode()
    assert not User.objects.filter(mobile=PHONE).exists()


def test_code_still_works_just_before_expiry(client, request_code):
    code = request_code(PHONE)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=290)):
        response = client.post("/me/sign-in/code/", {"code": code})
    assert response.status_code == 302


def test_wrong_attempts_are_limited(client, request_code, settings):
    code = request_code(PHONE)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for left in range(settings.HUJI_OTP_MAX_ATTEMPTS - 1, 0, -1):
        response = client.post("/me/sign-in/code/", {"code": wrong})
        assert f"还可以再试{left}次" in response.content.decode()
    response = client.post("/me/sign-in/code/", {"code": wrong})
    assert "错误次数过多" in response.content.decode()

    # Even the right code is refused now.
    response = client.post("/me/sign-in/code/", {"code": code})
    assert response.status_code == 200
    assert "错误次数过多" in response.content.decode()
    assert OneTimeCode.objects.get(phone=PHONE).attempts == 5
    assert AuditEvent.objects.filter(action="sign_in:failed").count() == 6


def test_resend_is_throttled_for_sixty_seconds(client, request_code):
    request_code(PHONE)
    response = client.post("/me/sign-in/code/", {"action": "resend"})
    assert "秒后再重新获取" in response.content.decode()
    assert SmsMessage.objects.filter(phone=PHONE).count() == 1

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        new_code = request_code(PHONE)
    assert SmsMessage.objects.filter(phone=PHONE).count() == 2
    # The newest code works; the earlier one was withdrawn.
    assert client.post("/me/sign-in/code/", {"code": new_code}).status_code == 302


def test_new_code_withdraws_the_old_one(client, request_code):
    old = request_code(PHONE)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        new = request_code(PHONE)
        if new == old:  # one in a million
            return
        response = client.post("/me/sign-in/code/", {"code": old})
    assert response.status_code == 200


def test_hourly_limit_per_phone(client, request_code, settings):
    start = timezone.now()
    for i in range(settings.HUJI_OTP_MAX_PER_HOUR):
        with time_machine.travel(start + datetime.timedelta(seconds=61 * i)):
            request_code(PHONE)
    with time_machine.travel(start + datetime.timedelta(seconds=61 * 11)):
        response = client.post("/me/sign-in/", {"phone": "13899999999"})
        assert response.status_code == 302  # another number is fine
        client.session.flush()
        response = client.post("/me/sign-in/", {"phone": PHONE})
    assert response.status_code == 200
    assert "一小时内获取验证码次数过多" in response.content.decode()


def test_hourly_limit_per_address(client, request_code, settings):
    settings.HUJI_OTP_MAX_PER_HOUR_PER_IP = 3
    for i in range(3):
        request_code(f"1390000000{i}")
    response = client.post("/me/sign-in/", {"phone": "13900000009"})
    assert "当前网络获取验证码次数过多" in response.content.decode()


def test_invalid_phone_number_is_refused_next_to_the_field(client):
    response = client.post("/me/sign-in/", {"phone": "12345"})
    assert response.status_code == 200
    assert "请输入11位中国大陆手机号码" in response.content.decode()
    assert not OneTimeCode.objects.exists()


def test_staff_number_cannot_sign_in_as_resident(client, request_code):
    StaffFactory(mobile=PHONE)
    code = request_code(PHONE)
    response = client.post("/me/sign-in/code/", {"code": code})
    assert "工作人员入口" in response.content.decode()
    assert not _signed_in_user(client).is_authenticated


def test_home_requires_sign_in(client):
    response = client.get("/me/")
    assert response.status_code == 302
    assert response.url.startswith("/me/sign-in/?next=")


def test_sign_out(client, request_code):
    ResidentFactory(mobile=PHONE)
    client.post("/me/sign-in/code/", {"code": request_code(PHONE)})
    client.post("/me/sign-out/")
    assert client.get("/me/").status_code == 302


def test_sign_out_everywhere_ends_other_sessions(client, request_code):
    from django.test import Client

    ResidentFactory(mobile=PHONE)
    client.post("/me/sign-in/code/", {"code": request_code(PHONE)})
    other = Client()
    other.force_login(
        User.objects.get(mobile=PHONE),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    assert other.get("/me/").status_code == 200

    client.post("/me/sign-out/everywhere/")

    assert other.get("/me/").status_code == 302
    assert client.get("/me/").status_code == 302


def test_old_codes_are_purged(client, request_code):
    from huji.accounts.tasks import sign_in_codes_purge_task

    request_code(PHONE)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        request_code("13900000000")
        sign_in_codes_purge_task.enqueue()
    assert list(OneTimeCode.objects.values_list("phone", flat=True)) == ["13900000000"]
