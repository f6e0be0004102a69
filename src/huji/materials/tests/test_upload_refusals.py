"""Files that are refused outright: each with its own code and Chinese message,
and nothing of them stored."""

import io
import struct
import zlib

import pytest
from PIL import Image
from pypdf import PdfWriter

from huji.materials.constants import RefusalCode
from huji.materials.models import MaterialUpload
from huji.materials.services import UploadRefused, upload_accept, upload_check
from huji.materials.tests.conftest import as_upload, png_bytes, stored_files

pytestmark = pytest.mark.django_db


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_bomb(side: int = 20000) -> bytes:
    """A real decompression bomb: a 1-bit PNG of side×side pixels of zeros that
    compresses to a few tens of kilobytes."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (side + 7) // 8)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def pdf_with_pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def refused(resident, data: bytes, name: str, kind: str = "id_card") -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        upload_accept(
            file=as_upload(data, name), uploaded_by=resident, material_kind=kind
        )
    return caught.value


@pytest.fixture(autouse=True)
def nothing_stored(storage):
    yield
    assert MaterialUpload.objects.count() == 0
    assert stored_files(storage) == []


def test_wrong_type_with_an_image_extension(resident):
    zip_file = b"PK\x03\x04" + b"\x00" * 200
    error = refused(resident, zip_file, "身份证.jpg")
    assert error.code == RefusalCode.NAME_MISMATCH
    assert "身份证.jpg" in error.message
    assert "JPG、PNG、HEIC" in error.message


def test_png_decompression_bomb_is_refused_from_its_header(resident):
    bomb = png_bomb()
    assert len(bomb) < 200_000  # tiny on the wire, 400 megapixels once decoded
    error = refused(resident, bomb, "scan.png")
    assert error.code == RefusalCode.TOO_MANY_PIXELS
    assert "万像素" in error.message


def test_image_just_over_the_pixel_limit(resident, settings):
    settings.HUJI_MATERIALS_MAX_PIXELS = 1_000_000
    data = png_bytes(Image.new("RGB", (1200, 900), "white"))
    error = refused(resident, data, "page.png")
    assert error.code == RefusalCode.TOO_MANY_PIXELS
    assert "1200×900" in error.message


def test_file_over_the_size_limit(resident, settings):
    settings.HUJI_MATERIALS_MAX_IMAGE_BYTES = 50_000
    noisy = Image.effect_noise((600, 600), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, "JPEG", quality=95)
    assert len(buffer.getvalue()) > 50_000
    error = refused(resident, buffer.getvalue(), "big.jpg")
    assert error.code == RefusalCode.TOO_LARGE
    assert "文件太大" in error.message


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>'
        b"alert(1)</script></svg>",
        b"<svg onload=alert(1)></svg>",
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"\xef\xbb\xbf  <html><img src=x onerror=alert(1)></html>",
    ],
    ids=["svg-xml", "svg", "html", "html-bom"],
)
def test_svg_or_html_renamed_jpg(resident, content):
    error = refused(resident, content, "photo.jpg")
    assert error.code == RefusalCode.MARKUP
    assert "网页或矢量图" in error.message


def test_pdf_with_too_many_pages(resident, settings):
    settings.HUJI_MATERIALS_MAX_PDF_PAGES = 3
    error = refused(resident, pdf_with_pages(4), "户口簿.pdf", kind="hukou_page")
    assert error.code == RefusalCode.PDF_TOO_MANY_PAGES
    assert "共有 4 页" in error.message and "3 页" in error.message


def test_encrypted_pdf(resident):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    error = refused(resident, buffer.getvalue(), "a.pdf", kind="document")
    assert error.code == RefusalCode.PDF_ENCRYPTED


def test_empty_file(resident):
    assert refused(resident, b"", "photo.jpg").code == RefusalCode.EMPTY


def test_truncated_jpeg_is_corrupt(resident):
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(buffer, "JPEG")
    error = refused(resident, buffer.getvalue()[:300], "photo.jpg")
    assert error.code == RefusalCode.CORRUPT


def test_gif_is_not_accepted(resident):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), "white").save(buffer, "GIF")
    error = refused(resident, buffer.getvalue(), "photo.gif")
    assert error.code == RefusalCode.NAME_MISMATCH


def test_unknown_material_kind(resident):
    data = png_bytes(Image.new("RGB", (300, 300), "white"))
    assert refused(resident, data, "a.png", kind="passport").code == (
        RefusalCode.UNKNOWN_KIND
    )


def test_check_alone_refuses_the_same_way():
    with pytest.raises(UploadRefused) as caught:
        upload_check(file=as_upload(b"<svg/>", "a.jpg"), material_kind="id_card")
    assert caught.value.code == RefusalCode.MARKUP
