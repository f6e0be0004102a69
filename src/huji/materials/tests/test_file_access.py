"""Files are streamed only to those allowed to see them, with safe headers;
missing and not-yours look the same; every staff fetch is audited."""

import io
import uuid

import pytest
from django.urls import reverse
from PIL import Image

from huji.accounts.tests.helpers import sign_in_resident, sign_in_staff
from huji.audit.models import AuditEvent
from huji.materials.constants import Domain
from huji.materials.permissions import can_view_upload
from huji.materials.services import upload_accept, upload_claim

pytestmark = pytest.mark.django_db


def small_jpeg() -> bytes:
    image = Image.linear_gradient("L").resize((640, 480)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def upload(resident):
    from huji.materials.tests.conftest import as_upload

    return upload_accept(
        file=as_upload(small_jpeg()), uploaded_by=resident, material_kind="id_card"
    )


@pytest.fixture
def claimed(upload, resident, xujiahui):
    return upload_claim(
        upload=upload, organisation=xujiahui.police_station, actor=resident
    )


def file_url(upload, part="file"):
    names = {"file": "materials:file", "thumb": "materials:thumbnail"}
    return reverse(names[part], kwargs={"public_id": upload.public_id})


def test_the_uploader_gets_the_file_with_safe_headers(client, resident, upload):
    sign_in_resident(client, resident)
    response = client.get(file_url(upload))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert "private" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).format == "JPEG"
    assert client.get(file_url(upload, "thumb")).status_code == 200
    # Residents reading their own files are not audited as reads.
    assert not AuditEvent.objects.filter(action="read:material").exists()


def test_another_resident_gets_the_same_404_as_for_a_missing_file(
    client, other_resident, upload
):
    sign_in_resident(client, other_resident)
    assert client.get(file_url(upload)).status_code == 404
    assert client.get(file_url(upload, "thumb")).status_code == 404
    missing = reverse("materials:file", kwargs={"public_id": uuid.uuid4()})
    assert client.get(missing).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, upload):
    response = client.get(file_url(upload))
    assert response.status_code == 302
    assert reverse("portal:sign_in") in response["Location"]


def test_officer_of_the_handling_station_reads_it_and_is_audited(
    client, officer, claimed
):
    sign_in_staff(client, officer)
    response = client.get(file_url(claimed))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="read:material")
    assert event.actor == officer and event.object_id == str(claimed.pk)
    assert event.organisation_id == officer.organisation_id
    assert event.changes == {"part": "file"}


def test_officer_outside_the_jurisdiction_is_refused(
    client, officer, other_officer, claimed
):
    assert can_view_upload(officer, claimed) is True
    assert can_view_upload(other_officer, claimed) is False
    sign_in_staff(client, other_officer)
    assert client.get(file_url(claimed)).status_code == 404
    assert not AuditEvent.objects.filter(action="read:material").exists()


def test_staff_cannot_read_an_upload_not_yet_attached(client, officer, upload):
    sign_in_staff(client, officer)
    assert client.get(file_url(upload)).status_code == 404


def test_staff_without_the_second_factor_is_refused(client, officer, claimed):
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(file_url(claimed)).status_code == 404


def test_center_clerk_reads_residence_materials_city_wide_but_not_household(
    client, clerk, resident, upload, xujiahui
):
    upload_claim(
        upload=upload,
        organisation=xujiahui.service_center,
        actor=resident,
        domain=Domain.RESIDENCE,
    )
    sign_in_staff(client, clerk)
    assert client.get(file_url(upload)).status_code == 200  # 全市通办
    upload_claim(
        upload=upload,
        organisation=xujiahui.police_station,
        actor=resident,
        domain=Domain.HOUSEHOLD,
    )
    assert client.get(file_url(upload)).status_code == 404


def test_pdf_is_a_download_and_its_pages_are_images(client, resident):
    from pypdf import PdfWriter

    from huji.materials.tests.conftest import as_upload

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    upload = upload_accept(
        file=as_upload(buffer.getvalue(), "a.pdf", "application/pdf"),
        uploaded_by=resident,
        material_kind="document",
    )
    sign_in_resident(client, resident)
    response = client.get(file_url(upload))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    page = reverse(
        "materials:page", kwargs={"public_id": upload.public_id, "number": 1}
    )
    assert client.get(page)["Content-Type"] == "image/jpeg"
    past_end = reverse(
        "materials:page", kwargs={"public_id": upload.public_id, "number": 2}
    )
    assert client.get(past_end).status_code == 404


def test_staff_review_page_shows_the_verdict(client, officer, claimed):
    sign_in_staff(client, officer)
    response = client.get(
        reverse("backoffice:material_detail", kwargs={"public_id": claimed.public_id})
    )
    assert response.status_code == 200
    assert file_url(claimed, "thumb") in response.content.decode()
    assert "edge_width" in response.content.decode()


def test_an_upload_without_a_stored_thumbnail_is_a_404_not_an_error(
    client, resident, upload
):
    type(upload).objects.filter(pk=upload.pk).update(thumbnail_key="")
    sign_in_resident(client, resident)

    assert client.get(file_url(upload, "thumb")).status_code == 404
    assert client.get(file_url(upload)).status_code == 200
