import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from huji.accounts import demo
from huji.accounts.constants import AccountKind, StaffRole
from huji.accounts.models import User
from huji.organizations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_staff_create_command(capsys):
    OrganisationFactory(code="310104014-PCS")
    call_command(
        "staff_create",
        "--username=officer.new",
        "--org=310104014-PCS",
        "--role=station_officer",
        "--password=Very-Strong-Pass-2026",
    )
    user = User.objects.get(username="officer.new")
    assert user.kind == AccountKind.STAFF
    assert user.role == StaffRole.STATION_OFFICER
    assert user.organisation.code == "310104014-PCS"
    assert user.check_password("Very-Strong-Pass-2026")
    assert "officer.new" in capsys.readouterr().out


def test_staff_create_refuses_weak_password_and_unknown_org():
    OrganisationFactory(code="SHPSB")
    with pytest.raises(CommandError):
        call_command(
            "staff_create", "--username=a", "--org=SHPSB", "--role=auditor",
            "--password=short",
        )  # fmt: skip
    with pytest.raises(CommandError, match="No organisation"):
        call_command(
            "staff_create", "--username=b", "--org=NOPE", "--role=auditor",
            "--password=Very-Strong-Pass-2026",
        )  # fmt: skip
    assert not User.objects.filter(username__in=["a", "b"]).exists()


def test_demo_seed_is_idempotent_and_its_instructions_work(capsys):
    lines = demo.seed()
    again = demo.seed()
    assert lines == again
    assert User.objects.filter(username="officer.xjh").count() == 1
    text = "\n".join(lines)
    assert "huji sms outbox" in text
    assert "huji staff_totp officer.xjh" in text

    zhang = User.objects.get(mobile="13800000001")
    assert zhang.person.name == "张三"
    assert User.objects.get(mobile="13800000002").person is None
    admin_user = User.objects.get(username="admin.sh")
    assert admin_user.is_superuser and admin_user.role == StaffRole.SYSTEM_ADMIN
    assert {u.organisation.code for u in User.objects.filter(kind="staff")} >= {
        "310104014-PCS", "310104003-PCS", "310104-FJ", "SHPSB-POP", "310104014-CTR",
        "SHPSB-CARD", "POST-SH", "SHPSB",
    }  # fmt: skip

    # The printed code signs the officer in.
    call_command("staff_totp", "officer.xjh")
    code = capsys.readouterr().out.strip()
    device = TOTPDevice.objects.get(user__username="officer.xjh")
    assert code == f"{totp(device.bin_key):06d}"
    client = Client()
    client.post(
        "/staff/sign-in/", {"username": "officer.xjh", "password": demo.DEMO_PASSWORD}
    )
    assert client.post("/staff/sign-in/totp/", {"token": code}).url == "/staff/"


def test_staff_totp_without_device():
    with pytest.raises(CommandError):
        call_command("staff_totp", "nobody")
