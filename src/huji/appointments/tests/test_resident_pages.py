"""The resident's journey through the pages, as a phone user would go."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw

from huji.accounts.tests.helpers import sign_in_resident
from huji.applications.constants import State
from huji.applications.models import Application, MaterialPage
from huji.applications.tests import factories as app_factories
from huji.appointments.models import Booking
from huji.appointments.tests.factories import make_slot


def photo(name="page.jpg") -> SimpleUploadedFile:
    """A sharp, well-lit document photo (text-like stripes on white)."""
    image = Image.new("RGB", (1600, 1100), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 1560, 1060), outline="black", width=6)
    for y in range(120, 1000, 36):
        for x in range(100, 1500, 90):
            draw.rectangle((x, y, x + 60, y + 14), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def form_data(world, **overrides):
    street = world.street
    data = {
        "reason": "工作调动",
        "destination": "family",
        "destination_address_0": street.parent.code,
        "destination_address_1": street.code,
        "destination_address_2": "虹桥路1号101室",
        "family_members-TOTAL_FORMS": "0",
        "family_members-INITIAL_FORMS": "0",
        "family_members-MIN_NUM_FORMS": "0",
        "family_members-MAX_NUM_FORMS": "10",
        "continue": "1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def version(db):
    return app_factories.make_version(code="T900")


def test_start_page_says_what_is_needed(client, world, version):
    sign_in_resident(client, world.resident)
    response = client.get(reverse("portal:application_start", args=["T900"]))
    body = response.content.decode()
    assert "居民身份证" in body and "居民户口簿" in body
    assert "5个工作日" in body
    assert "户籍窗口" in body
    response = client.post(reverse("portal:application_start", args=["T900"]))
    application = Application.objects.get(applicant=world.resident)
    assert response.url == reverse("portal:application_form", args=[application.ref])
    # Starting again leads to the open application instead of a second one.
    again = client.post(reverse("portal:application_start", args=["T900"]))
    assert again.url == reverse("portal:application_detail", args=[application.ref])
    assert Application.objects.filter(applicant=world.resident).count() == 1


def test_start_needs_real_name(client, world, version):
    world.resident.person = None
    world.resident.save(update_fields=["person"])
    sign_in_resident(client, world.resident)
    response = client.get(reverse("portal:application_start", args=["T900"]))
    assert response.status_code == 302
    assert "real-name" in response.url


def test_invalid_form_is_saved_with_errors_next_to_fields(client, world, version):
    application = app_factories.draft(world, version)
    sign_in_resident(client, world.resident)
    url = reverse("portal:application_form", args=[application.ref])
    response = client.post(
        url, form_data(world, reason="", destination_address_2="新地址")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "请填写申请事由" in body
    assert "step" not in response.get("Location", "")
    application.refresh_from_db()
    # The valid part of the input is kept, the draft is not lost.
    assert application.answers["destination_address"]["detail"] == "新地址"
    assert application.state == State.DRAFT
    assert "新地址" in body
    response = client.post(url, form_data(world))
    assert response.url == reverse(
        "portal:application_materials", args=[application.ref]
    )


def test_family_members_are_added_and_saved(client, world, version):
    application = app_factories.draft(world, version)
    sign_in_resident(client, world.resident)
    url = reverse("portal:application_form", args=[application.ref])
    data = form_data(world)
    data.pop("continue")
    data.update(
        {
            "add_member": "1",
            "family_members-TOTAL_FORMS": "1",
            "family_members-0-name": "李小明",
            "family_members-0-relation": "child",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.answers["family_members"] == [
        {"name": "李小明", "relation": "child"}
    ]
    assert "第2位" in response.content.decode()


def test_upload_pages_and_bad_file_keeps_earlier_pages(client, world, version):
    application = app_factories.draft(world, version)
    slot = application.slots.get(slot_key="hukou_book")
    sign_in_resident(client, world.resident)
    url = reverse(
        "portal:application_material_upload", args=[application.ref, "hukou_book"]
    )
    client.post(url, {"file": photo()})
    assert slot.pages.count() == 2
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(url, {"file": bad}, follow=True)
    assert "居民户口簿" in response.content.decode()
    assert slot.pages.count() == 2
    page = response.content.decode()
    assert "第2页" in page


def test_review_submit_and_confirmation(client, world, version):
    application = app_factories.draft(world, version)
    sign_in_resident(client, world.resident)
    url = reverse("portal:application_review", args=[application.ref])
    response = client.post(url, {})
    assert "请勾选" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.DRAFT
    response = client.post(url, {"confirm": "1"})
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert response.url == reverse(
        "portal:application_submitted", args=[application.number]
    )
    page = client.get(response.url).content.decode()
    assert application.number in page
    assert "第4步 共4步" in page
    assert "派出所审核" in page
    due = application.due_on
    assert f"{due.year}年{due.month}月{due.day}日" in page
    detail = client.get(reverse("portal:application_detail", args=[application.number]))
    text = detail.content.decode()
    assert "提交申请" in text and "申请人" in text


def test_review_lists_what_is_missing(client, world, version):
    application = app_factories.draft(world, version)
    MaterialPage.objects.filter(slot__application=application).delete()
    sign_in_resident(client, world.resident)
    response = client.get(reverse("portal:application_review", args=[application.ref]))
    assert "还不能提交" in response.content.decode()
    assert "居民身份证" in response.content.decode()


def test_correction_fixed_in_place_and_resubmitted(client, world):
    application = app_factories.correction_requested(world)
    sign_in_resident(client, world.resident)
    detail = client.get(reverse("portal:application_detail", args=[application.number]))
    assert "去补正" in detail.content.decode()
    url = reverse("portal:application_correction", args=[application.number])
    page = client.get(url).content.decode()
    assert "照片不清晰" in page
    assert "居民身份证" in page
    upload = reverse(
        "portal:application_material_upload", args=[application.number, "id_card"]
    )
    response = client.post(upload, {"file": photo()})
    assert response.url.startswith(url)
    response = client.post(url, {"resubmit": "1"})
    application.refresh_from_db()
    assert application.state == State.RESUBMITTED
    assert response.url == reverse(
        "portal:application_detail", args=[application.number]
    )


def test_withdraw(client, world):
    application = app_factories.submitted(world)
    sign_in_resident(client, world.resident)
    url = reverse("portal:application_withdraw", args=[application.number])
    assert "确认撤回" in client.get(url).content.decode()
    client.post(url, {"reason": "不办了"})
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    detail = client.get(reverse("portal:application_detail", args=[application.number]))
    assert "撤回申请" in detail.content.decode()


def test_pre_approval_notice_book_reschedule_cancel(client, world):
    application = app_factories.pre_approved(world)
    first = make_slot(world.station, day=datetime.date(2026, 12, 1))
    second = make_slot(world.station, day=datetime.date(2026, 12, 2), hour=14)
    sign_in_resident(client, world.resident)
    url = reverse("portal:application_visit", args=[application.number])
    page = client.get(url).content.decode()
    assert "居民身份证" in page and "居民户口簿" in page
    assert world.station.name in page
    assert "12月1日" in page
    client.post(url, {"action": "book", "slot": first.pk})
    booking = Booking.objects.get(application=application, state="booked")
    assert booking.slot == first
    client.post(url, {"action": "reschedule", "slot": second.pk})
    booking.refresh_from_db()
    assert booking.slot == second
    page = client.get(url).content.decode()
    assert "14:00" in page
    client.post(url, {"action": "cancel"})
    booking.refresh_from_db()
    application.refresh_from_db()
    assert booking.state == "cancelled"
    assert application.state == State.PRE_APPROVED


def test_booking_a_slot_of_another_station_is_refused(client, world):
    application = app_factories.pre_approved(world)
    other = make_slot(world.other_station, day=datetime.date(2026, 12, 1))
    sign_in_resident(client, world.resident)
    url = reverse("portal:application_visit", args=[application.number])
    response = client.post(url, {"action": "book", "slot": other.pk}, follow=True)
    assert "请选择一个预约时段" in response.content.decode()
    assert not Booking.objects.exists()


def test_home_lists_latest_applications(client, world):
    application = app_factories.submitted(world)
    sign_in_resident(client, world.resident)
    body = client.get(reverse("portal:home")).content.decode()
    assert application.number in body
    assert "办理新业务" in body
