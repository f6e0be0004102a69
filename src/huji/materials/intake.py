"""Accepting a file: what it is (decided from its content only), whether it is
within the limits (checked before anything is fully decoded), and a clean copy
(re-encoded, turned upright, without any metadata)."""

import io
import warnings
from dataclasses import dataclass

import numpy as np
import pillow_heif
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from huji.materials import conf
from huji.materials.constants import RefusalCode

pillow_heif.register_heif_opener()

JPEG, PNG, HEIF, PDF = "image/jpeg", "image/png", "image/heif", "application/pdf"
IMAGE_TYPES = {JPEG, PNG, HEIF}
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".heif", ".gif", ".webp", ".bmp")
ORIENTATION_SWAPS = {5, 6, 7, 8}


class UploadRefused(ValidationError):
    """A file that is not accepted at all; nothing of it is stored."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message, code=code)


@dataclass
class Decoded:
    image: Image.Image  # upright RGB
    original_size: tuple[int, int]  # upright, before any reduction


def read_limited(file) -> bytes:
    """The file's bytes, refusing an empty or over-large one before reading it all."""
    limit = max(conf.get("MAX_IMAGE_BYTES"), conf.get("MAX_PDF_BYTES"))
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise _too_large(size)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if not data:
        raise UploadRefused(_("文件是空的，请重新选择照片。"), code=RefusalCode.EMPTY)
    if len(data) > limit:
        raise _too_large(len(data))
    return data


def _too_large(size: int) -> UploadRefused:
    return UploadRefused(
        _(
            "文件太大（%(size).1f MB）。照片不能超过 %(image)d MB，PDF 不能超过 "
            "%(pdf)d MB，请压缩后重新上传。"
        )
        % {
            "size": size / 1024 / 1024,
            "image": conf.get("MAX_IMAGE_BYTES") // (1024 * 1024),
            "pdf": conf.get("MAX_PDF_BYTES") // (1024 * 1024),
        },
        code=RefusalCode.TOO_LARGE,
    )


def sniff(data: bytes, name: str = "") -> str:
    """The content type from the first bytes; the name and the declared type are
    never trusted. Refuses anything other than JPEG, PNG, HEIC/HEIF and PDF."""
    if data[:3] == b"\xff\xd8\xff":
        content_type = JPEG
    elif data[:8] == b"\x89PNG\r\n\x1a\n":
        content_type = PNG
    elif data[4:8] == b"ftyp" and (
        data[8:12] in HEIF_BRANDS or any(b in data[16:64] for b in HEIF_BRANDS)
    ):
        content_type = HEIF
    elif data[:5] == b"%PDF-":
        content_type = PDF
    else:
        raise _refuse_type(data, name)
    limit = conf.get("MAX_PDF_BYTES" if content_type == PDF else "MAX_IMAGE_BYTES")
    if len(data) > limit:
        raise _too_large(len(data))
    return content_type


def _refuse_type(data: bytes, name: str) -> UploadRefused:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<", b"<?xml")) or b"<svg" in head or b"<html" in head:
        return UploadRefused(
            _(
                "这个文件是网页或矢量图（HTML/SVG），不是照片，不能上传（即使文件名以 "
                ".jpg 结尾）。请上传手机拍摄的 JPG、PNG、HEIC 照片或 PDF 文件。"
            ),
            code=RefusalCode.MARKUP,
        )
    if name.lower().endswith((*IMAGE_SUFFIXES, ".pdf")):
        return UploadRefused(
            _(
                "文件“%(name)s”的名称像图片或 PDF，但内容不是 JPG、PNG、HEIC 或 "
                "PDF。请直接上传手机拍摄的照片，不要修改文件扩展名。"
            )
            % {"name": name[-60:]},
            code=RefusalCode.NAME_MISMATCH,
        )
    return UploadRefused(
        _("不支持这种文件。请上传 JPG、PNG、HEIC 照片或 PDF 文件。"),
        code=RefusalCode.UNSUPPORTED_TYPE,
    )


# Images ---------------------------------------------------------------------------


def open_image(data: bytes) -> Image.Image:
    """Open lazily (headers only) and refuse a decompression bomb before decoding."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(None) from None
    except Exception:
        raise _corrupt() from None
    width, height = image.size
    if width * height > conf.get("MAX_PIXELS"):
        raise _too_many_pixels((width, height))
    if min(width, height) < conf.get("MIN_PIXELS_SIDE"):
        raise UploadRefused(
            _("图片太小（%(w)d×%(h)d 像素），看不清内容。请重新拍摄。")
            % {"w": width, "h": height},
            code=RefusalCode.TOO_FEW_PIXELS,
        )
    return image


def _too_many_pixels(size) -> UploadRefused:
    limit = conf.get("MAX_PIXELS") // 10_000
    if size:
        message = _(
            "图片尺寸过大（%(w)d×%(h)d 像素），不能超过 %(limit)d 万像素。"
            "请上传手机正常拍摄的照片。"
        ) % {"w": size[0], "h": size[1], "limit": limit}
    else:
        message = _(
            "图片尺寸过大，不能超过 %(limit)d 万像素。请上传手机正常拍摄的照片。"
        ) % {"limit": limit}
    return UploadRefused(message, code=RefusalCode.TOO_MANY_PIXELS)


def _corrupt() -> UploadRefused:
    return UploadRefused(
        _("文件已损坏，无法打开。请重新拍摄或重新导出后上传。"),
        code=RefusalCode.CORRUPT,
    )


def _upright_size(image: Image.Image) -> tuple[int, int]:
    width, height = image.size
    try:
        orientation = image.getexif().get(0x0112, 1)
    except Exception:
        orientation = 1
    return (height, width) if orientation in ORIENTATION_SWAPS else (width, height)


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def decode_image(data: bytes, *, max_side: int | None = None) -> Decoded:
    """Decode in full (reduced by whole factors where JPEG allows), upright, RGB."""
    image = open_image(data)
    original_size = _upright_size(image)
    max_side = max_side or conf.get("STORED_MAX_SIDE")
    try:
        if image.format == "JPEG" and max(image.size) > max_side:
            ratio = max_side / max(image.size)
            image.draft("RGB", (int(image.width * ratio), int(image.height * ratio)))
        image.load()
        image = _flatten(ImageOps.exif_transpose(image))
    except UploadRefused:
        raise
    except Exception:
        raise _corrupt() from None
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return Decoded(image=image, original_size=original_size)


def decode_for_check(data: bytes, *, side: int = 1024) -> tuple[np.ndarray, tuple]:
    """Greyscale at about ``side`` pixels, decoding JPEG at reduced scale (DCT
    scaling: a 12-megapixel photo is decoded at a quarter of its size)."""
    image = open_image(data)
    original_size = _upright_size(image)
    try:
        if image.format == "JPEG":
            ratio = side / max(image.size)
            if ratio < 1:
                image.draft("L", (int(image.width * ratio), int(image.height * ratio)))
        image.load()
        image = ImageOps.exif_transpose(image)
        gray = _flatten(image).convert("L") if image.mode not in ("L",) else image
    except Exception:
        raise _corrupt() from None
    return np.asarray(gray), original_size


def encode_jpeg(image: Image.Image, *, max_side: int | None = None) -> bytes:
    """A clean JPEG: no EXIF (so no GPS, no camera), no ICC, no comments."""
    if max_side and max(image.size) > max_side:
        image = image.copy()
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    clean = Image.frombytes("RGB", image.size, image.convert("RGB").tobytes())
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=conf.get("STORED_JPEG_QUALITY"), optimize=True)
    return buffer.getvalue()


def grey_array(image: Image.Image, *, side: int = 1024) -> np.ndarray:
    small = image
    if max(image.size) > side:
        small = image.copy()
        small.thumbnail((side, side), Image.Resampling.BILINEAR)
    return np.asarray(small.convert("L"))


# PDF ------------------------------------------------------------------------------


def inspect_pdf(data: bytes) -> int:
    """The page count, refusing encrypted, over-long or absurdly large PDFs."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadRefused(
                _("PDF 设有密码，无法查看。请上传未加密的 PDF。"),
                code=RefusalCode.PDF_ENCRYPTED,
            )
        count = len(reader.pages)
        limit = conf.get("MAX_PDF_PAGES")
        if count > limit:
            raise UploadRefused(
                _(
                    "PDF 共有 %(count)d 页，最多只能 %(limit)d 页。"
                    "请只上传这项材料需要的页面。"
                )
                % {"count": count, "limit": limit},
                code=RefusalCode.PDF_TOO_MANY_PAGES,
            )
        if count == 0:
            raise _corrupt()
        largest = conf.get("MAX_PDF_PAGE_POINTS")
        for page in reader.pages:
            box = page.mediabox
            if max(float(box.width), float(box.height)) > largest:
                raise UploadRefused(
                    _("PDF 的页面尺寸异常，无法查看。请上传普通 A4 大小的 PDF。"),
                    code=RefusalCode.PDF_PAGE_TOO_LARGE,
                )
    except UploadRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError):
        raise _corrupt() from None
    return count


def clean_pdf(data: bytes) -> bytes:
    """The pages only: no document metadata, scripts, forms, attachments or links."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data), strict=False)
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.remove_annotations(subtypes=None)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def render_pdf(data: bytes, *, max_side: int | None = None) -> list[Image.Image]:
    """Every page as an RGB image, the long side at ``max_side`` pixels."""
    import pypdfium2 as pdfium

    max_side = max_side or conf.get("PDF_RENDER_MAX_SIDE")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise _corrupt() from None
    pages = []
    try:
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            scale = max_side / max(width, height, 1)
            bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
            pages.append(bitmap.to_pil().convert("RGB"))
            page.close()
    finally:
        document.close()
    return pages
