"""The officer's day in a real browser: the queue, an application, a one-click
verdict, pre-approval."""

import pytest
from django.conf import settings
from django.test import Client

from huji.accounts.tests.helpers import sign_in_staff
from huji.applications.tests import factories as f


def _as_staff(page, user, live_server):
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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_reviews_and_pre_approves(desktop_page, live_server, screenshot):
    from huji.accounts.tests.factories import ResidentFactory

    world = f.World()
    application = f.submitted(world, family=1, collective=True, real_uploads=True)
    f.under_review(
        world, f.make_version(route="station_district"), resident=ResidentFactory()
    )
    page = desktop_page
    _as_staff(page, world.officer, live_server)
    page.goto("/staff/")
    assert page.get_by_role("link", name=application.number).is_visible()
    screenshot(page, "applications-staff-queue")
    page.get_by_role("link", name=application.number).click()
    page.get_by_role("button", name="认领并开始审核").click()
    assert page.get_by_text("已认领，请审核材料。").is_visible()
    page.locator("#slot-hukou_book").get_by_role("button", name="符合要求").click()
    page.locator("#slot-id_card").get_by_role("button", name="照片不清晰").click()
    assert (
        page.locator("#slot-id_card")
        .get_by_text("照片不清晰，请在光线")
        .first.is_visible()
    )
    screenshot(page, "applications-staff-detail")
    page.locator("#slot-id_card").get_by_role("button", name="符合要求").click()
    page.get_by_role("button", name="预审通过，通知到窗口办理").click()
    assert page.get_by_text("预审通过，已通知申请人预约窗口。").is_visible()
    application.refresh_from_db()
    assert application.state == "pre_approved"
