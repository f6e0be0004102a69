"""The staff pages of this app in headless Chromium: the address field narrowing
its street list with htmx, the organisation tree and the audit log."""

import pytest
from django.conf import settings
from django.test import Client

from huji.accounts.constants import StaffRole
from huji.accounts.tests.factories import StaffFactory
from huji.accounts.tests.helpers import sign_in_staff
from huji.audit.services import audit_record
from huji.organizations.models import Organisation
from huji.organizations.tests.helpers import ensure_shanghai_organisations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, *, code: str, role: str):
    ensure_shanghai_organisations()
    user = StaffFactory(organisation=Organisation.objects.get(code=code), role=role)
    client = Client()
    sign_in_staff(client, user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return user


def test_address_field_narrows_streets_and_resolves(
    desktop_page, live_server, screenshot
):
    page = desktop_page
    _sign_in(page, live_server, code="310104014-CTR", role=StaffRole.CENTER_CLERK)
    page.goto("/staff/organisations/jurisdiction/")
    street = page.locator("#id_address_1")
    assert street.locator("optgroup").count() == 16

    with page.expect_response(lambda r: "street-options" in r.url):
        page.select_option("#id_address_0", "310104")
    page.wait_for_function(
        "document.querySelectorAll('#id_address_1 optgroup').length === 0"
    )
    assert street.locator("option").count() == 15
    page.select_option("#id_address_1", "310104014")
    page.get_by_role("button", name="查询").click()

    result = page.locator("#result-title")
    assert result.inner_text() == "徐汇区 · 徐家汇街道"
    assert "徐家汇派出所" in page.locator("dl.facts").inner_text()
    assert "上海市公安局徐汇分局" in page.locator("dl.facts").inner_text()
    screenshot(page, "organizations-jurisdiction-lookup")


def test_a_mismatched_pair_without_javascript_is_explained(
    chromium_browser, live_server, screenshot
):
    context = chromium_browser.new_context(
        java_script_enabled=False,
        viewport={"width": 1366, "height": 900},
        locale="zh-CN",
        base_url=live_server.url,
    )
    page = context.new_page()
    _sign_in(page, live_server, code="310104014-CTR", role=StaffRole.CENTER_CLERK)
    page.goto("/staff/organisations/jurisdiction/")
    page.select_option("#id_address_0", "310101")  # 黄浦区
    page.select_option("#id_address_1", "310104014")  # 徐家汇街道 (徐汇区)
    page.get_by_role("button", name="查询").click()

    assert "所选街道（镇）不在黄浦区" in page.locator(".error").inner_text()
    screenshot(page, "organizations-jurisdiction-no-js-error")
    context.close()


def test_tree_and_audit_log(desktop_page, live_server, screenshot):
    page = desktop_page
    admin = _sign_in(page, live_server, code="SHPSB", role=StaffRole.SYSTEM_ADMIN)
    audit_record(actor=admin, action="read:id_number", object_type="a", object_id="1")
    page.goto("/staff/organisations/?district=310115")
    assert "上海市公安局浦东分局" in page.content()
    assert page.locator("section table.data tbody tr").count() == 42
    screenshot(page, "organizations-tree-pudong")

    page.goto("/staff/audit/")
    assert page.locator("table.data tbody tr").count() >= 1
    assert "read:id_number" in page.locator("table.data").inner_text()
    screenshot(page, "audit-log")
