from django.db import models
from django.utils.translation import gettext_lazy as _


class MaterialKind(models.TextChoices):
    """What a photo shows; the clarity thresholds depend on it."""

    ID_CARD = "id_card", _("身份证件")
    HUKOU_PAGE = "hukou_page", _("户口簿页")
    CERTIFICATE = "certificate", _("证明文书")
    DOCUMENT = "document", _("其他文件")
    PHOTO = "photo", _("照片")


class Domain(models.TextChoices):
    """Which kind of record an upload is attached to: it decides staff scope."""

    HOUSEHOLD = "household", _("户籍")
    RESIDENCE = "residence", _("居住")


class Problem(models.TextChoices):
    """Problems the clarity check reports. Each warns; none refuses the upload."""

    LOW_RESOLUTION = "low_resolution", _("分辨率太低")
    BLURRED = "blurred", _("照片模糊")
    TOO_DARK = "too_dark", _("照片太暗")
    OVEREXPOSED = "overexposed", _("照片过曝")
    GLARE = "glare", _("有反光")
    CUT_OFF = "cut_off", _("证件不完整")
    DUPLICATE = "duplicate", _("重复上传")


# What the resident should do about each problem (shown next to the photo).
PROBLEM_ADVICE = {
    Problem.LOW_RESOLUTION: _(
        "照片分辨率太低，文字可能看不清。请靠近一些，让证件占满画面后重新拍摄。"
    ),
    Problem.BLURRED: _("照片模糊。请拿稳手机，对焦清楚后重新拍摄。"),
    Problem.TOO_DARK: _("照片太暗。请在光线充足处重新拍摄。"),
    Problem.OVEREXPOSED: _("照片过亮，文字发白。请避开强光，在光线柔和处重新拍摄。"),
    Problem.GLARE: _("证件上有反光，遮住了部分内容。请调整角度避开灯光后重新拍摄。"),
    Problem.CUT_OFF: _("证件没有拍全。请将证件四角完整拍入画面。"),
    Problem.DUPLICATE: _(
        "这张照片与您为另一项材料上传的照片相同。请确认是否传错了材料。"
    ),
}


class RefusalCode(models.TextChoices):
    """Why a file is refused outright (nothing is stored)."""

    EMPTY = "empty", _("空文件")
    TOO_LARGE = "too_large", _("文件太大")
    UNSUPPORTED_TYPE = "unsupported_type", _("文件类型不支持")
    NAME_MISMATCH = "name_mismatch", _("文件名与内容不符")
    MARKUP = "markup", _("网页或矢量图")
    TOO_MANY_PIXELS = "too_many_pixels", _("图片尺寸过大")
    TOO_FEW_PIXELS = "too_few_pixels", _("图片尺寸过小")
    CORRUPT = "corrupt", _("文件已损坏")
    PDF_TOO_MANY_PAGES = "pdf_too_many_pages", _("PDF 页数过多")
    PDF_ENCRYPTED = "pdf_encrypted", _("PDF 已加密")
    PDF_PAGE_TOO_LARGE = "pdf_page_too_large", _("PDF 页面过大")
    UNKNOWN_KIND = "unknown_kind", _("材料类型不正确")
