"""Signing in through the real pages in headless Chromium: a resident with the code
read from the development SMS outbox, an officer with a TOTP code computed from
their device's secret. Screenshots go to test-artifacts/ (look at them)."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from huji.accounts.tests.factories import StaffFactory, make_id_number
from huji.notifications.models import SmsMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "13800000001"


def _outbox_code(phone: str) -> str:
    message = SmsMessage.objects.filter(phone=phone).order_by("-id").first()
    return re.search(r"验证码为(\d{6})", message.text).group(1)


def test_resident_signs_up_real_names_and_sees_home(phone_page, screenshot):
    page = phone_page
    page.goto("/me/")
    assert "/me/sign-in/" in page.url
    screenshot(page, "accounts-resident-sign-in")

    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_url("**/me/sign-in/code/**")
    assert "138****0001" in page.content()
    screenshot(page, "accounts-resident-code")

    page.get_by_label("短信验证码").fill(_outbox_code(PHONE))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/me/real-name/**")

    page.get_by_label("姓名").fill("张三")
    page.get_by_label("公民身份号码").fill("123")
    page.get_by_role("button", name="提交认证").click()
    assert page.get_by_text("公民身份号码应为18位").is_visible()
    screenshot(page, "accounts-resident-real-name-error")

    page.get_by_label("公民身份号码").fill(make_id_number(seq=5).lower())
    page.get_by_role("button", name="提交认证").click()
    page.wait_for_url("**/me/")
    assert page.get_by_role("heading", name="我的办事").is_visible()
    assert page.get_by_text("张三，您好。").is_visible()
    assert page.get_by_text("1 条未读").is_visible()
    screenshot(page, "resident-home")


def test_officer_signs_in_with_totp(desktop_page, screenshot):
    officer = StaffFactory(username="officer.xjh", first_name="王警官")
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    page = desktop_page

    page.goto("/staff/sign-in/")
    screenshot(page, "accounts-officer-sign-in")
    page.get_by_label("用户名").fill("officer.xjh")
    page.get_by_label("密码").fill("Correct-Horse-42!")
    page.get_by_role("button", name="下一步").click()
    page.wait_for_url("**/staff/sign-in/totp/**")
    screenshot(page, "accounts-officer-totp")

    device.refresh_from_db()
    page.get_by_label("动态口令").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    screenshot(page, "officer-home")

    page.goto("/staff/account/")
    assert page.get_by_text(officer.organisation.name).first.is_visible()
    assert page.get_by_text("户籍民警").first.is_visible()
    screenshot(page, "accounts-officer-account")


def test_new_officer_enrols_totp(desktop_page, screenshot):
    StaffFactory(username="officer.new")
    page = desktop_page
    page.goto("/staff/sign-in/")
    page.get_by_label("用户名").fill("officer.new")
    page.get_by_label("密码").fill("Correct-Horse-42!")
    page.get_by_role("button", name="下一步").click()
    page.wait_for_url("**/staff/sign-in/totp/enrol/**")
    assert page.locator("svg").first.is_visible()
    screenshot(page, "accounts-officer-totp-enrol")

    device = TOTPDevice.objects.get(user__username="officer.new")
    page.get_by_label("动态口令").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="完成绑定并登录").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    device.refresh_from_db()
    assert device.confirmed
