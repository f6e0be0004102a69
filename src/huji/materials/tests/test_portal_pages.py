"""The resident's check page and the upload widget's endpoint, without a browser:
plain form posts (no JavaScript) and htmx requests."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from huji.accounts.tests.helpers import sign_in_resident
from huji.materials.models import MaterialUpload
from huji.materials.tests.conftest import needs_font, photo_bytes

pytestmark = pytest.mark.django_db
CHECK = "/me/materials/check/"


def named(data: bytes, name: str = "photo.jpg") -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


def test_check_page_url_and_sign_in(client, resident):
    assert reverse("portal:materials_check") == CHECK
    response = client.get(CHECK)
    assert response.status_code == 302 and "sign-in" in response["Location"]
    sign_in_resident(client, resident)
    page = client.get(CHECK).content.decode()
    assert 'capture="environment"' in page
    assert 'accept="image/*,application/pdf"' in page
    assert 'enctype="multipart/form-data"' in page


@needs_font
def test_plain_form_post_shows_the_problem_at_once(client, resident):
    sign_in_resident(client, resident)
    blurred = photo_bytes("blurred", kind="id_card", seed=11)
    response = client.post(CHECK, {"material_kind": "id_card", "photo": named(blurred)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "照片模糊" in page and 'data-code="blurred"' in page
    assert "<html" in page  # a whole page, for browsers without JavaScript
    assert MaterialUpload.objects.count() == 0


@needs_font
def test_htmx_post_returns_only_the_verdict(client, resident):
    sign_in_resident(client, resident)
    response = client.post(
        CHECK,
        {"material_kind": "id_card", "photo": named(photo_bytes("good"))},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert "<html" not in page
    assert 'data-ok="true"' in page and "照片清晰、完整" in page


def test_refused_file_error_sits_by_the_field(client, resident):
    sign_in_resident(client, resident)
    response = client.post(
        CHECK, {"material_kind": "id_card", "photo": named(b"<svg/>", "a.jpg")}
    )
    assert response.status_code == 422
    assert "网页或矢量图" in response.content.decode()
    response = client.post(CHECK, {"material_kind": "id_card"})
    assert "请拍摄或选择一张照片" in response.content.decode()


def test_widget_endpoint_stores_and_returns_the_widget(client, resident):
    sign_in_resident(client, resident)
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (150, 150, 150)).save(buffer, "JPEG")
    url = reverse("portal:materials_upload") + "?field=m_id&kind=id_card&slot=front"
    response = client.post(
        url, {"m_id_file": named(buffer.getvalue())}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    upload = MaterialUpload.objects.get()
    assert upload.slot_key == "front" and upload.uploaded_by == resident
    page = response.content.decode()
    assert f'name="m_id" value="{upload.public_id}"' in page
    assert reverse("materials:thumbnail", args=[upload.public_id]) in page
    assert 'id="upload-m_id"' in page


def test_widget_endpoint_refusal_and_bad_parameters(client, resident):
    sign_in_resident(client, resident)
    url = reverse("portal:materials_upload") + "?field=m_id&kind=id_card"
    response = client.post(url, {"m_id_file": named(b"<html></html>", "x.jpg")})
    assert "网页或矢量图" in response.content.decode()
    assert MaterialUpload.objects.count() == 0
    bad = reverse("portal:materials_upload") + "?field=a-b&kind=nope"
    assert client.post(bad).status_code == 400
