"""Accepted files: what is stored is re-encoded, upright and without metadata;
the record holds the hash, sizes, keys and verdict; all or nothing."""

import hashlib
import io
from unittest import mock

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from huji.audit.models import AuditEvent
from huji.materials.models import MaterialUpload
from huji.materials.services import upload_accept
from huji.materials.tests.conftest import (
    as_upload,
    needs_font,
    photo_bytes,
    stored_files,
)

pytestmark = pytest.mark.django_db


def jpeg_with_gps(*, orientation: int = 6) -> bytes:
    image = Image.open(io.BytesIO(photo_bytes())).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (31.0, 11.0, 42.0), 3: "E", 4: (121.0, 26.0, 5.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def read_stored(storage, key: str) -> bytes:
    with storage.open(key, "rb") as handle:
        return handle.read()


@needs_font
def test_gps_and_all_metadata_are_gone_and_the_photo_is_upright(resident, storage):
    original = jpeg_with_gps(orientation=6)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # GPS is there

    upload = upload_accept(
        file=as_upload(original), uploaded_by=resident, material_kind="id_card"
    )

    stored = read_stored(storage, upload.storage_key)
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert b"Exif" not in stored[:4096] and b"PhoneMaker" not in stored
    assert "icc_profile" not in image.info
    # Orientation 6 means "turn 90° clockwise": stored upright, so portrait.
    assert image.size == (1200, 1600)
    assert (upload.width, upload.height) == (1200, 1600)
    thumb = Image.open(io.BytesIO(read_stored(storage, upload.thumbnail_key)))
    assert max(thumb.size) == 480 and dict(thumb.getexif()) == {}


@needs_font
def test_record_holds_hash_sizes_keys_verdict_and_audit(resident, storage):
    data = photo_bytes()
    upload = upload_accept(
        file=as_upload(data), uploaded_by=resident, material_kind="id_card"
    )
    upload.refresh_from_db()
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    assert upload.content_type == "image/jpeg"
    assert upload.size == len(read_stored(storage, upload.storage_key))
    assert upload.page_count == 1 and upload.page_keys == []
    assert upload.storage_key.endswith(f"{upload.public_id}/original.jpg")
    assert set(stored_files(storage)) == {upload.storage_key, upload.thumbnail_key}
    assert upload.verdict["ok"] is True and upload.verdict["problems"] == []
    assert upload.verdict["measures"]["edge_width"] > 0
    assert upload.claimed_at is None and upload.organisation is None
    event = AuditEvent.objects.get(action="create:material")
    assert event.actor == resident and event.object_id == str(upload.pk)
    assert event.changes["problems"] == []


def test_png_with_transparency_is_stored_as_jpeg_on_white(resident, storage):
    image = Image.new("RGBA", (900, 600), (0, 0, 0, 0))
    image.paste((20, 20, 20, 255), (100, 100, 800, 500))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    upload = upload_accept(
        file=as_upload(buffer.getvalue(), "scan.png", "image/png"),
        uploaded_by=resident,
        material_kind="document",
    )
    stored = Image.open(io.BytesIO(read_stored(storage, upload.storage_key)))
    assert stored.format == "JPEG" and stored.mode == "RGB"
    assert stored.getpixel((10, 10))[0] > 240  # transparent became white
    assert stored.getpixel((450, 300))[0] < 40


@needs_font
def test_heic_from_a_phone_is_accepted(resident, storage):
    pillow_heif = pytest.importorskip("pillow_heif")
    if not pillow_heif.libheif_info().get("encoders"):
        pytest.skip("this libheif cannot encode HEIC")
    image = Image.open(io.BytesIO(photo_bytes())).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "HEIF", quality=85)
    upload = upload_accept(
        file=as_upload(buffer.getvalue(), "IMG_0001.HEIC", "image/heic"),
        uploaded_by=resident,
        material_kind="id_card",
    )
    assert upload.content_type == "image/jpeg"
    stored = Image.open(io.BytesIO(read_stored(storage, upload.storage_key)))
    assert stored.format == "JPEG" and stored.size == image.size


def test_pdf_pages_are_rendered_and_the_pdf_is_cleaned(resident, storage):
    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": "张三", "/Producer": "Scanner 1.0"})
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hi');"),
        }
    )
    buffer = io.BytesIO()
    writer.write(buffer)

    upload = upload_accept(
        file=as_upload(buffer.getvalue(), "证明.pdf", "application/pdf"),
        uploaded_by=resident,
        material_kind="certificate",
    )
    assert upload.content_type == "application/pdf"
    assert upload.page_count == 2 and len(upload.page_keys) == 2
    page = Image.open(io.BytesIO(read_stored(storage, upload.page_keys[1])))
    assert page.format == "JPEG" and max(page.size) == 1654
    stored = read_stored(storage, upload.storage_key)
    reader = PdfReader(io.BytesIO(stored))
    assert len(reader.pages) == 2
    assert "/Author" not in (reader.metadata or {})
    assert b"app.alert" not in stored
    assert "/OpenAction" not in reader.trailer["/Root"]
    assert upload.thumbnail_key in stored_files(storage)


@needs_font
def test_nothing_is_left_behind_when_recording_fails(resident, storage):
    with (
        mock.patch.object(MaterialUpload, "save", side_effect=RuntimeError("db down")),
        pytest.raises(RuntimeError),
    ):
        upload_accept(
            file=as_upload(photo_bytes()), uploaded_by=resident, material_kind="id_card"
        )
    assert stored_files(storage) == []
    assert not AuditEvent.objects.filter(action="create:material").exists()


@needs_font
def test_nothing_is_left_behind_when_storing_fails_half_way(resident, storage):
    real_save = storage.save
    calls = []

    def failing_save(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(name, content, **kwargs)

    with (
        mock.patch.object(storage, "save", side_effect=failing_save),
        pytest.raises(OSError),
    ):
        upload_accept(
            file=as_upload(photo_bytes()), uploaded_by=resident, material_kind="id_card"
        )
    assert len(calls) == 2
    assert stored_files(storage) == []
    assert MaterialUpload.objects.count() == 0
