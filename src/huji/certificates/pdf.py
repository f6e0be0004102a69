"""The A4 PDF of a certificate: title, issuing authority, number, date, the
essential fields in a table, the QR code and how to verify it. The font is the
subset Noto Sans CJK SC shipped in ``fonts/`` and embedded in every file."""

import io
import logging
from pathlib import Path

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from huji.certificates.models import Certificate

FONT_PATH = Path(__file__).resolve().parent / "fonts" / "HujiSansSC-Regular.ttf"
FONT = "HujiSans"
INK = (20, 20, 20)
SEAL = (200, 30, 30)
RULE = (120, 120, 120)
LABEL_FILL = (242, 244, 247)


def qr_png(url: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def _date_cn(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _seal(pdf: FPDF, *, cx: float, cy: float, issuer: str) -> None:
    """A red round mark standing for the electronic seal (not an image of one)."""
    pdf.set_draw_color(*SEAL)
    pdf.set_text_color(*SEAL)
    pdf.set_line_width(0.8)
    pdf.circle(x=cx, y=cy, radius=19)
    pdf.set_line_width(0.3)
    pdf.circle(x=cx, y=cy, radius=17)
    pdf.set_font(FONT, size=10)
    pdf.set_xy(cx - 17, cy - 8)
    pdf.cell(34, 6, issuer, align="C")
    pdf.set_font(FONT, size=14)
    pdf.set_xy(cx - 17, cy - 2.5)
    pdf.cell(34, 6, "★", align="C")
    pdf.set_font(FONT, size=8)
    pdf.set_xy(cx - 17, cy + 4)
    pdf.cell(34, 5, _("电子证照专用"), align="C")


def certificate_pdf_bytes(certificate: Certificate, *, verify_url: str) -> bytes:
    # fontTools logs every subsetting step at INFO.
    logging.getLogger("fontTools.subset").setLevel(logging.WARNING)
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(f"{certificate.get_kind_display()} {certificate.number}")
    pdf.set_author(certificate.issuer)
    pdf.set_creator("Huji")
    pdf.set_auto_page_break(auto=False)
    pdf.add_font(FONT, fname=str(FONT_PATH))
    pdf.add_page()
    pdf.set_text_color(*INK)

    # Frame: a double rule around the page content.
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.8)
    pdf.rect(12, 12, 186, 273)
    pdf.set_line_width(0.2)
    pdf.rect(14, 14, 182, 269)

    pdf.set_font(FONT, size=13)
    pdf.set_xy(20, 26)
    pdf.cell(170, 8, certificate.issuer, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=28)
    pdf.set_char_spacing(4)
    pdf.set_xy(20, 38)
    pdf.cell(170, 16, certificate.get_kind_display(), align="C")
    pdf.set_char_spacing(0)

    pdf.set_font(FONT, size=10.5)
    pdf.set_xy(24, 62)
    pdf.cell(81, 7, _("编号：%(number)s") % {"number": certificate.number})
    issued_on = timezone.localdate(certificate.issued_at)
    pdf.cell(81, 7, _("签发日期：%(date)s") % {"date": _date_cn(issued_on)}, align="R")

    # The essential fields.
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.3)
    y = 72.0
    label_w, value_w = 42.0, 120.0
    for label, value in certificate.subject.get("fields", []):
        pdf.set_font(FONT, size=11)
        lines = pdf.multi_cell(value_w - 4, 6, str(value), dry_run=True, output="LINES")
        height = max(11.0, 6.0 * len(lines) + 5)
        pdf.set_fill_color(*LABEL_FILL)
        pdf.rect(24, y, label_w, height, style="DF")
        pdf.rect(24 + label_w, y, value_w, height, style="D")
        pdf.set_xy(24, y)
        pdf.cell(label_w, height, str(label), align="C")
        pdf.set_xy(24 + label_w + 2, y + (height - 6.0 * len(lines)) / 2)
        pdf.multi_cell(value_w - 4, 6, str(value), align="L")
        y += height

    # Validity.
    y += 6
    pdf.set_font(FONT, size=10.5)
    if certificate.valid_until:
        pdf.set_xy(24, y)
        pdf.cell(
            162,
            7,
            _("有效期：%(start)s 至 %(end)s（以扫码核验结果为准）")
            % {
                "start": _date_cn(certificate.valid_from or issued_on),
                "end": _date_cn(certificate.valid_until),
            },
        )
        y += 9

    # QR code and how to verify.
    qr_y = 205.0
    pdf.image(io.BytesIO(qr_png(verify_url)), x=22, y=qr_y - 2, w=46, h=46)
    pdf.set_font(FONT, size=10)
    pdf.set_xy(72, qr_y + 2)
    pdf.multi_cell(
        70,
        5.5,
        _(
            "核验方法：用手机扫描左侧二维码，即可查询本证照是否真实、当前是否有效。"
            "二维码内容经上海市公安局电子签名，涂改、伪造无法通过核验。"
        ),
    )
    pdf.set_font(FONT, size=8)
    pdf.set_xy(72, pdf.get_y() + 1)
    pdf.multi_cell(70, 4, _("核验接口：GET /api/v1/verify/{二维码内容}"))
    _seal(pdf, cx=165, cy=qr_y + 20, issuer=certificate.issuer)

    pdf.set_text_color(*INK)
    pdf.set_font(FONT, size=8.5)
    pdf.set_xy(20, 268)
    pdf.cell(
        170,
        5,
        _(
            "本证照为电子证照，与纸质证照具有同等效力；可在任一社区事务受理服务中心打印。"
        ),
        align="C",
    )
    return bytes(pdf.output())
