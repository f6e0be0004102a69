"""In a real (headless) phone browser: a resident checks a sharp photo (accepted)
and a blurred one (the message shows at once), and the pages are screenshotted."""

import pytest
from django.conf import settings
from django.test import Client

from huji.accounts.tests.factories import ResidentFactory
from huji.accounts.tests.helpers import sign_in_resident
from huji.materials.tests.conftest import needs_font, photo_bytes


def signed_in(page, live_server, user):
    client = Client()
    sign_in_resident(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie,
                "url": live_server.url,
            }
        ]
    )


@needs_font
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_resident_checks_a_sharp_and_a_blurred_photo(
    phone_page, live_server, screenshot
):
    page = phone_page
    signed_in(page, live_server, ResidentFactory())
    page.goto("/me/materials/check/")
    assert page.locator("h1").inner_text() == "检查证件照片"
    screenshot(page, "materials-check-empty")

    page.set_input_files(
        "#id_photo",
        files=[
            {"name": "sharp.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}
        ],
    )
    verdict = page.locator("#verdict-result")
    verdict.wait_for(timeout=20_000)
    assert verdict.get_attribute("data-ok") == "true"
    assert "照片清晰、完整" in verdict.inner_text()
    screenshot(page, "materials-check-sharp")

    blurred = photo_bytes("blurred", kind="id_card", seed=11)
    page.set_input_files(
        "#id_photo",
        files=[{"name": "blurred.jpg", "mimeType": "image/jpeg", "buffer": blurred}],
    )
    page.locator('#verdict-result[data-ok="false"]').wait_for(timeout=20_000)
    problem = page.locator('#verdict-result li[data-code="blurred"]')
    assert "拿稳手机，对焦清楚" in problem.inner_text()
    assert page.url.endswith("/me/materials/check/")  # no page load: swapped in
    screenshot(page, "materials-check-blurred")
