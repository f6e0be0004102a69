"""The residence journey in headless Chromium: a resident on a phone, staff at
desktops. Staff sessions are created with Django's test client (TOTP verified)
and handed to the browser as a cookie."""

from pathlib import Path
from urllib.parse import urlparse

import cv2
import numpy as np
import pypdfium2
import pytest
from django.conf import settings
from django.test import Client

from huji.accounts.tests.helpers import sign_in_resident, sign_in_staff
from huji.residence.models import PermitApplication
from huji.residence.tests.factories import World

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"


def _session_cookie(user, live_server, *, staff: bool) -> dict:
    client = Client()
    (sign_in_staff if staff else sign_in_resident)(client, user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def _as(page, user, live_server, *, staff=True):
    page.context.clear_cookies()
    page.context.add_cookies([_session_cookie(user, live_server, staff=staff)])


def _qr_url(pdf_bytes: bytes, png_path) -> str:
    """Render the PDF's first page, save it, and read its QR code."""
    document = pypdfium2.PdfDocument(pdf_bytes)
    document[0].render(scale=2).to_pil().save(png_path)
    # Read the code as a phone camera would, at a few print resolutions.
    text = ""
    for scale in (4, 3, 6):
        image = document[0].render(scale=scale).to_pil().convert("RGB")
        array = cv2.cvtColor(np.array(image), cv2.COLOR_RGB2BGR)
        for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
            text = detector.detectAndDecode(array)[0]
            if text:
                break
        if text:
            break
    assert text, "no QR code found on the certificate"
    return text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_residence_journey(phone_page, desktop_page, live_server, screenshot):
    world = World()
    phone, desk = phone_page, desktop_page

    # 1. The resident registers residence online.
    _as(phone, world.resident, live_server, staff=False)
    phone.goto("/me/residence/register/")
    # Choosing the district narrows the street list (htmx): wait for it.
    with phone.expect_response(lambda r: "source=address_0" in r.url):
        phone.select_option("select[name=address_0]", "310104")
    phone.wait_for_selector(
        f"select[name=address_1] option[value='{world.street.code}']", state="attached"
    )
    phone.select_option("select[name=address_1]", world.street.code)
    phone.fill("input[name=address_2]", "漕溪北路123弄4号501室")
    phone.get_by_label("务工就业").check()
    phone.fill("input[name=employer]", "上海某某科技有限公司")
    phone.get_by_label("租赁房屋（已办理租赁备案）").check()
    phone.fill("input[name=housing_proof]", "租赁备案 2025-0001")
    phone.fill("input[name=phone]", "13900000001")
    screenshot(phone, "residence-01-register-form")
    phone.get_by_role("button", name="提交居住登记").click()
    phone.wait_for_selector(".big-number")
    number = phone.inner_text(".big-number").strip()
    assert "前确认" in phone.content()
    screenshot(phone, "residence-02-registration-submitted")

    # 2. A center clerk confirms it.
    _as(desk, world.clerk, live_server)
    desk.goto("/staff/residence/")
    screenshot(desk, "residence-03-clerk-queue")
    desk.get_by_role("link", name=number).click()
    desk.get_by_role("button", name="确认登记并签发凭证").click()
    assert "已确认居住登记" in desk.content()

    # 3. The resident downloads the certificate; its QR verifies.
    phone.goto(f"/me/residence/registrations/{number}/")
    screenshot(phone, "residence-04-registration-confirmed")
    with phone.expect_download() as info:
        phone.get_by_role("link", name="下载《居住登记凭证》（PDF）").click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    url = _qr_url(pdf, ARTIFACTS / "residence-05-certificate.png")
    phone.goto(urlparse(url).path)
    assert "真实有效" in phone.content()
    assert "张*三" in phone.content()
    screenshot(phone, "residence-06-verify-valid")

    # 4. The resident applies for a permit with postal delivery.
    phone.goto("/me/residence/permit/apply/")
    phone.get_by_label("合法稳定就业").check()
    phone.get_by_label("我在本市连续缴纳职工社会保险已满6个月", exact=False).check()
    phone.get_by_label("邮政专递送证上门（到付15元）").check()
    phone.fill("input[name=delivery_address]", "上海市徐汇区漕溪北路123弄4号501室")
    phone.fill("input[name=delivery_phone]", "13900000001")
    screenshot(phone, "residence-07-permit-apply")
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_selector(".big-number")
    application_number = phone.inner_text(".big-number").strip()

    # 5. Review at the center.
    desk.goto(f"/staff/residence/applications/{application_number}/")
    desk.get_by_role("button", name="材料齐全，受理").click()
    desk.get_by_role("button", name="审核通过，送制证").click()
    screenshot(desk, "residence-08-application-approved")

    # 6. Card production: batch, print, check, dispatch.
    _as(desk, world.card, live_server)
    desk.goto("/staff/residence/")
    desk.get_by_role("button", name="建立制证批次").click()
    desk.get_by_role("button", name="打印（编号、签发）").click()
    desk.get_by_role("button", name="质检合格").click()
    desk.get_by_role("button", name="发出").click()
    screenshot(desk, "residence-09-batch-dispatched")
    assert world.person.id_number not in desk.content()

    # 7. The courier phones, agrees a time, delivers and collects 15 yuan.
    _as(desk, world.courier, live_server)
    desk.goto("/staff/residence/")
    assert "13900000001" in desk.content()
    assert world.person.id_number not in desk.content()
    desk.fill("input[name=agreed_time]", "明天上午9-11点")
    desk.get_by_role("button", name="已电话联系，记录约定时间").click()
    screenshot(desk, "residence-10-delivery-scheduled")
    desk.get_by_role("button", name="已送达并收费").click()
    desk.goto("/staff/residence/cash/")
    screenshot(desk, "residence-11-cash")
    assert "15" in desk.inner_text("table.data tbody")
    application = PermitApplication.objects.get(number=application_number)
    assert application.state == "delivered"
    permit_token = application.card.certificate.token

    phone.goto("/me/residence/")
    assert "我的居住证" in phone.content()
    screenshot(phone, "residence-12-my-permit")

    # 8. At another center a clerk reports the card lost; verification says so.
    _as(desk, world.other_clerk, live_server)
    desk.goto("/staff/residence/")
    desk.fill("input[name=id_number]", world.person.id_number)
    desk.fill("input[name=name]", world.person.name)
    desk.get_by_role("button", name="核验并办理").click()
    desk.get_by_role("button", name="挂失").click()
    assert "已挂失" in desk.content()
    screenshot(desk, "residence-13-counter-lost")
    phone.goto(f"/verify/{permit_token}/")
    assert "已挂失" in phone.content()
    screenshot(phone, "residence-14-verify-lost")
