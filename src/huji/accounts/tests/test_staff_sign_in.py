import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from huji.accounts.tests.factories import ResidentFactory, StaffFactory
from huji.accounts.tests.helpers import sign_in_staff
from huji.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-Horse-42!"


def _code(device: TOTPDevice) -> str:
    """What the authenticator app shows now (time_machine moves "now")."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}"


def _password(client, username, password=PASSWORD, **extra):
    return client.post(
        "/staff/sign-in/", {"username": username, "password": password}, **extra
    )


def _user(client):
    return client.get("/healthz").wsgi_request.user


@pytest.fixture
def officer():
    user = StaffFactory(username="officer.a")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def test_password_then_totp_signs_in_and_lands_on_the_queue(client, officer):
    response = _password(client, "officer.a")
    assert response.status_code == 302
    assert response.url == "/staff/sign-in/totp/"
    # Password alone is not enough for staff pages.
    assert not _user(client).is_verified()
    assert client.get("/staff/account/").url.startswith("/staff/sign-in/")

    device = officer.totpdevice_set.get()
    response = client.post("/staff/sign-in/totp/", {"token": _code(device)})

    assert response.status_code == 302
    assert response.url == "/staff/"
    assert _user(client).is_verified()
    assert client.get("/staff/account/").status_code == 200
    event = AuditEvent.objects.get(action="sign_in", actor=officer)
    assert event.changes == {"method": "password+totp"}


def test_next_survives_both_steps(client, officer):
    response = client.post(
        "/staff/sign-in/?next=/staff/account/",
        {"username": "officer.a", "password": PASSWORD},
    )
    assert response.url == "/staff/sign-in/totp/?next=%2Fstaff%2Faccount%2F"
    response = client.post(response.url, {"token": _code(officer.totpdevice_set.get())})
    assert response.url == "/staff/account/"


def test_wrong_totp_is_refused(client, officer):
    _password(client, "officer.a")
    device = officer.totpdevice_set.get()
    wrong = f"{(int(_code(device)) + 1) % 1000000:06d}"
    response = client.post("/staff/sign-in/totp/", {"token": wrong})
    assert response.status_code == 200
    assert "动态口令不正确" in response.content.decode()
    assert not _user(client).is_verified()


def test_a_totp_code_cannot_be_reused(client, officer):
    device = officer.totpdevice_set.get()
    code = _code(device)
    _password(client, "officer.a")
    assert client.post("/staff/sign-in/totp/", {"token": code}).status_code == 302

    other = Client()
    _password(other, "officer.a")
    response = other.post("/staff/sign-in/totp/", {"token": code})
    assert response.status_code == 200
    assert not _user(other).is_verified()


def test_first_sign_in_enrols_a_totp_device(client):
    StaffFactory(username="newbie")
    response = _password(client, "newbie")
    response = client.get(response.url)
    assert response.url == "/staff/sign-in/totp/enrol/"

    page = client.get("/staff/sign-in/totp/enrol/").content.decode()
    assert "<svg" in page
    assert "otpauth://totp/" in page
    device = TOTPDevice.objects.get(user__username="newbie")
    assert not device.confirmed

    wrong = f"{(int(_code(device)) + 1) % 1000000:06d}"
    response = client.post("/staff/sign-in/totp/enrol/", {"token": wrong})
    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed

    # django-otp delays the next try after a failure (1 s, doubling).
    with time_machine.travel(timezone.now().timestamp() + 2):
        response = client.post("/staff/sign-in/totp/enrol/", {"token": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert _user(client).is_verified()
    assert AuditEvent.objects.filter(action="account:totp_enrol").exists()


def test_enrolment_page_is_closed_once_enrolled(client, officer):
    _password(client, "officer.a")
    response = client.get("/staff/sign-in/totp/enrol/")
    assert response.url.startswith("/staff/sign-in/totp/")
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_residents_cannot_use_the_staff_entrance(client):
    resident = ResidentFactory()
    resident.set_password(PASSWORD)
    resident.save()
    response = _password(client, resident.username)
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert not _user(client).is_authenticated


def test_lock_out_after_five_failures(client, officer, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _password(client, "officer.a", "wrong-password")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    response = _password(client, "officer.a", "wrong-password")
    assert response.status_code == 429
    assert "账户已暂时锁定" in response.content.decode()

    # Now even the right password is refused.
    response = _password(client, "officer.a")
    assert response.status_code == 429
    assert not _user(client).is_authenticated


def test_lock_out_is_per_address(client, officer, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _password(client, "officer.a", "wrong-password")
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    response = _password(elsewhere, "officer.a")
    assert response.status_code == 302


def test_wrong_totp_codes_count_towards_lock_out(client, officer, settings):
    device = officer.totpdevice_set.get()
    wrong = f"{(int(_code(device)) + 1) % 1000000:06d}"
    _password(client, "officer.a")
    statuses = []
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        # django-otp also slows down repeated failures; step past its delay.
        device.refresh_from_db()
        device.throttling_failure_timestamp = None
        device.save()
        statuses.append(
            client.post("/staff/sign-in/totp/", {"token": wrong}).status_code
        )
    assert statuses[-1] == 429
    assert not _user(client).is_verified()

    # Locked out: even the right code no longer helps, on this or a new session.
    device.refresh_from_db()
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post("/staff/sign-in/totp/", {"token": _code(device)})
    assert response.status_code in (302, 429)
    assert not _user(client).is_verified()
    assert _password(Client(), "officer.a").status_code == 429


def test_totp_failures_slow_down(client, officer):
    _password(client, "officer.a")
    device = officer.totpdevice_set.get()
    wrong = f"{(int(_code(device)) + 1) % 1000000:06d}"
    client.post("/staff/sign-in/totp/", {"token": wrong})
    # Right code immediately after a failure: refused until the delay passes.
    response = client.post("/staff/sign-in/totp/", {"token": _code(device)})
    assert "尝试过于频繁" in response.content.decode()


def test_idle_timeout(client, officer, settings):
    sign_in_staff(client, officer)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.get("/staff/account/").status_code == 200
    with time_machine.travel(start.timestamp() + settings.HUJI_STAFF_IDLE_TIMEOUT - 10):
        assert client.get("/staff/account/").status_code == 200
    with time_machine.travel(start.timestamp() + 2 * settings.HUJI_STAFF_IDLE_TIMEOUT):
        response = client.get("/staff/account/")
    assert response.status_code == 302
    assert response.url.startswith("/staff/sign-in/?reason=timeout")
    assert not _user(client).is_authenticated
    assert "会话已超时" in client.get(response.url).content.decode()


def test_absolute_timeout_despite_activity(client, officer, settings):
    sign_in_staff(client, officer)
    start = timezone.now().timestamp()
    step = settings.HUJI_STAFF_IDLE_TIMEOUT - 60
    t = start
    with time_machine.travel(start, tick=False):
        client.get("/staff/account/")
    while t + step < start + settings.HUJI_STAFF_ABSOLUTE_TIMEOUT:
        t += step
        with time_machine.travel(t, tick=False):
            assert client.get("/staff/account/").status_code == 200
    with time_machine.travel(start + settings.HUJI_STAFF_ABSOLUTE_TIMEOUT + 1):
        response = client.get("/staff/account/")
    assert response.status_code == 302
    assert "reason=timeout" in response.url


def test_api_session_times_out_too(client, officer, settings):
    sign_in_staff(client, officer)
    start = timezone.now().timestamp()
    with time_machine.travel(start, tick=False):
        assert client.get("/api/v1/accounts/me").status_code == 200
    with time_machine.travel(start + settings.HUJI_STAFF_IDLE_TIMEOUT + 5):
        assert client.get("/api/v1/accounts/me").status_code == 401


def test_residents_have_no_staff_timeouts(client, settings):
    from huji.accounts.tests.helpers import sign_in_resident

    sign_in_resident(client, ResidentFactory())
    start = timezone.now().timestamp()
    with time_machine.travel(start + settings.HUJI_STAFF_ABSOLUTE_TIMEOUT + 5):
        assert client.get("/me/").status_code == 200


def test_sign_out_everywhere(client, officer):
    sign_in_staff(client, officer)
    other = Client()
    sign_in_staff(other, officer)
    assert other.get("/staff/account/").status_code == 200

    response = client.post("/staff/sign-out/everywhere/")

    assert response.url == "/staff/sign-in/"
    assert other.get("/staff/account/").status_code == 302
    assert client.get("/staff/account/").status_code == 302
    assert AuditEvent.objects.filter(action="sign_out:everywhere").count() == 1


def test_account_page_shows_organisation_role_and_history(client, officer):
    _password(client, "officer.a")
    client.post("/staff/sign-in/totp/", {"token": _code(officer.totpdevice_set.get())})
    page = client.get("/staff/account/").content.decode()
    assert officer.organisation.name in page
    assert "户籍民警" in page
    assert "127.0.0.1" in page


def test_admin_needs_the_second_factor(client):
    admin_user = StaffFactory(is_staff=True, is_superuser=True, role="system_admin")
    client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/admin/", follow=True)
    urls = [url for url, _status in response.redirect_chain]
    assert "/staff/sign-in/?next=%2Fadmin%2F" in urls
    assert "/admin/" not in urls[-1]

    sign_in_staff(client, admin_user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/accounts/person/").status_code == 200


def test_admin_resets_totp(client, officer):
    admin_user = sign_in_staff(
        client, StaffFactory(is_staff=True, is_superuser=True, role="system_admin")
    )
    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_totp", "_selected_action": [officer.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    event = AuditEvent.objects.get(action="account:totp_reset")
    assert event.actor == admin_user
