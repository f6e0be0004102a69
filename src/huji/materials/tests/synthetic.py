"""Synthetic document photos, labelled by construction, for tests and calibration.

A document (an ID card, a household-register page, a certificate) is rendered with
Chinese text, placed with perspective on a table in a scene with uneven light and
sensor noise, then optionally spoiled in one way: blurred (defocus or shake),
darkened, over-exposed, glared, cut off at an edge, or photographed too small.
Everything is seeded: the same seed gives the same image everywhere.
"""

import io
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)
DEFECTS = (
    "good",
    "blurred",
    "too_dark",
    "overexposed",
    "glare",
    "cut_off",
    "low_resolution",
)
KINDS = ("id_card", "hukou_page", "certificate")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇")
STREETS = ("漕溪北路", "淮海中路", "南京西路", "天钥桥路", "肇嘉浜路", "虹桥路")


def font_path() -> str | None:
    return next((p for p in FONT_PATHS if Path(p).exists()), None)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    path = font_path()
    if path is None:
        raise RuntimeError("A CJK font is needed: apt-get install fonts-noto-cjk")
    # Index 2 of the Noto CJK collection is Simplified Chinese.
    return ImageFont.truetype(path, size, index=2)


@dataclass
class Sample:
    image: Image.Image
    kind: str
    defect: str
    seed: int

    def jpeg(self, quality: int = 90) -> bytes:
        buffer = io.BytesIO()
        self.image.save(buffer, "JPEG", quality=quality)
        return buffer.getvalue()


# Documents --------------------------------------------------------------------


def _name(rng) -> str:
    return SURNAMES[rng.integers(len(SURNAMES))] + GIVEN[rng.integers(len(GIVEN))]


def render_id_card(rng) -> Image.Image:
    width, height = 1012, 638
    base = np.zeros((height, width, 3), np.float32)
    tint = np.array([232, 240, 248]) + rng.integers(-8, 8, 3)
    base[:] = tint
    yy, xx = np.mgrid[0:height, 0:width]
    base += (8 * np.sin(xx / 23.0 + yy / 41.0))[..., None]  # guilloche-like pattern
    card = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(card)
    ink = (30, 30, 35)
    label = (70, 90, 120)
    y = 60
    draw.text((60, y), "姓名", fill=label, font=_font(30))
    draw.text((160, y - 4), _name(rng), fill=ink, font=_font(40))
    y += 80
    draw.text((60, y), "性别", fill=label, font=_font(30))
    draw.text(
        (160, y - 2), "男" if rng.random() < 0.5 else "女", fill=ink, font=_font(34)
    )
    draw.text((300, y), "民族", fill=label, font=_font(30))
    draw.text((400, y - 2), "汉", fill=ink, font=_font(34))
    y += 70
    year, month, day = (
        rng.integers(1950, 2005),
        rng.integers(1, 13),
        rng.integers(1, 29),
    )
    draw.text((60, y), "出生", fill=label, font=_font(30))
    draw.text((160, y - 2), f"{year} 年 {month} 月 {day} 日", fill=ink, font=_font(34))
    y += 70
    draw.text((60, y), "住址", fill=label, font=_font(30))
    street = STREETS[rng.integers(len(STREETS))]
    draw.text((160, y - 2), f"上海市徐汇区{street}", fill=ink, font=_font(32))
    draw.text(
        (160, y + 42),
        f"{rng.integers(1, 999)}弄{rng.integers(1, 60)}号",
        fill=ink,
        font=_font(32),
    )
    number = "310104" + f"{year}{month:02d}{day:02d}" + f"{rng.integers(0, 9999):04d}"
    draw.text((60, 520), "公民身份号码", fill=label, font=_font(30))
    draw.text((290, 512), number, fill=ink, font=_font(44))
    # The portrait: a grey panel with a head and shoulders.
    draw.rectangle((700, 80, 940, 380), fill=(205, 212, 222))
    draw.ellipse((765, 130, 875, 260), fill=(120, 110, 105))
    draw.pieslice((715, 250, 925, 470), 180, 360, fill=(60, 70, 90))
    return _rounded(card, 36)


def render_hukou_page(rng) -> Image.Image:
    width, height = 1000, 1400
    page = Image.new("RGB", (width, height), (246, 241, 226))
    draw = ImageDraw.Draw(page)
    ink = (25, 25, 30)
    line = (120, 60, 60)
    draw.text((330, 50), "常住人口登记卡", fill=line, font=_font(52))
    rows = [
        ("姓名", _name(rng), "户主或与户主关系", "子" if rng.random() < 0.5 else "女"),
        ("曾用名", "", "性别", "男"),
        ("出生地", "上海市徐汇区", "民族", "汉"),
        ("籍贯", "浙江省宁波市", "出生日期", f"{rng.integers(1950, 2020)}年3月8日"),
        ("本市其他住址", "", "宗教信仰", ""),
        ("公民身份号码", f"310104{rng.integers(10**11, 10**12 - 1)}", "身高", "172"),
        ("文化程度", "大学本科", "婚姻状况", "未婚"),
        ("服务处所", "上海某某有限公司", "职业", "职员"),
        ("何时由何地迁来本市", "", "", ""),
        ("何时由何地迁来本址", "", "", ""),
    ]
    top, row_height = 150, 110
    left, right, middle = 50, 950, 500
    for index, (k1, v1, k2, v2) in enumerate(rows):
        y = top + index * row_height
        draw.rectangle((left, y, right, y + row_height), outline=line, width=3)
        draw.line((middle, y, middle, y + row_height), fill=line, width=3)
        draw.text((left + 14, y + 14), k1, fill=line, font=_font(26))
        draw.text((left + 14, y + 54), v1, fill=ink, font=_font(32))
        draw.text((middle + 14, y + 14), k2, fill=line, font=_font(26))
        draw.text((middle + 14, y + 54), v2, fill=ink, font=_font(32))
    y = top + len(rows) * row_height + 30
    draw.text((60, y), "承办人签章", fill=line, font=_font(28))
    draw.text(
        (560, y),
        f"登记日期 {rng.integers(1990, 2024)}年5月20日",
        fill=ink,
        font=_font(28),
    )
    _stamp(draw, (780, 1250), "户口专用章")
    return page


def render_certificate(rng) -> Image.Image:
    width, height = 1000, 1414
    page = Image.new("RGB", (width, height), (250, 250, 247))
    draw = ImageDraw.Draw(page)
    ink = (20, 20, 25)
    draw.text((420, 80), "证  明", fill=ink, font=_font(64))
    text = (
        f"兹证明{_name(rng)}同志，"
        f"公民身份号码310104{rng.integers(10**11, 10**12 - 1)}，"
        "系我单位正式职工，自二〇一八年起在我单位工作至今，劳动合同期限为五年。"
        "该同志在本市连续缴纳社会保险，住址为上海市徐汇区"
        f"{STREETS[rng.integers(len(STREETS))]}{rng.integers(1, 999)}号。"
        "特此证明。本证明仅用于办理户籍相关业务，复印无效。"
    )
    y, per_line = 240, 26
    for start in range(0, len(text), per_line):
        draw.text((90, y), text[start : start + per_line], fill=ink, font=_font(32))
        y += 62
    draw.text((560, 1050), "上海某某有限公司（盖章）", fill=ink, font=_font(30))
    draw.text(
        (620, 1110), f"{rng.integers(2020, 2026)}年6月1日", fill=ink, font=_font(30)
    )
    _stamp(draw, (700, 1080), "人事专用章")
    return page


def _stamp(draw, centre, text) -> None:
    x, y = centre
    red = (200, 40, 40)
    draw.ellipse((x - 110, y - 110, x + 110, y + 110), outline=red, width=7)
    draw.text((x - 78, y - 20), text, fill=red, font=_font(30))
    draw.text((x - 16, y - 80), "★", fill=red, font=_font(34))


def _rounded(image: Image.Image, radius: int) -> Image.Image:
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, *image.size), radius, fill=255)
    image = image.convert("RGBA")
    image.putalpha(mask)
    return image


RENDERERS = {
    "id_card": render_id_card,
    "hukou_page": render_hukou_page,
    "certificate": render_certificate,
}


# The scene ----------------------------------------------------------------------


def _background(rng, width, height) -> np.ndarray:
    style = rng.integers(4)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    if style == 0:  # wood
        base = np.array([120, 84, 52], np.float32) + rng.integers(-20, 20, 3)
        grain = 18 * np.sin(yy / (6 + rng.random() * 6) + 3 * np.sin(xx / 140.0))
        image = base + grain[..., None]
    elif style == 1:  # dark cloth
        base = np.array([40, 45, 60], np.float32) + rng.integers(-15, 15, 3)
        image = np.broadcast_to(base, (height, width, 3)).copy()
    elif style == 2:  # grey table
        base = np.array([128, 128, 124], np.float32) + rng.integers(-25, 25, 3)
        image = np.broadcast_to(base, (height, width, 3)).copy()
    else:  # a light desk: little contrast with the paper
        base = np.array([178, 172, 160], np.float32) + rng.integers(-12, 12, 3)
        image = np.broadcast_to(base, (height, width, 3)).copy()
    noise = rng.normal(0, 6, (height // 8 + 1, width // 8 + 1)).astype(np.float32)
    noise = cv2.resize(noise, (width, height), interpolation=cv2.INTER_CUBIC)
    return image + noise[..., None]


def _placement(rng, doc_w, doc_h, width, height, *, cut_off: bool):
    """Four destination corners of the document in the scene."""
    share = rng.uniform(0.55, 0.8)
    scale = share * max(width, height) / max(doc_w, doc_h)
    scale = (
        min(scale, 0.9 * min(width / doc_w, height / doc_h)) if not cut_off else scale
    )
    w, h = doc_w * scale, doc_h * scale
    angle = math.radians(rng.uniform(-10, 10))
    corners = np.array(
        [[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]]
    )
    rotation = np.array(
        [[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]]
    )
    corners = corners @ rotation.T
    corners += rng.uniform(-0.05, 0.05, corners.shape) * max(w, h)  # perspective
    span_x = corners[:, 0].max() - corners[:, 0].min()
    span_y = corners[:, 1].max() - corners[:, 1].min()
    fit = min(0.92 * width / span_x, 0.92 * height / span_y, 1.0)
    if not cut_off and fit < 1:  # keep every corner inside the frame
        corners, span_x, span_y = corners * fit, span_x * fit, span_y * fit
    margin_x = (width - span_x) / 2
    margin_y = (height - span_y) / 2
    if not cut_off:
        inner_x, inner_y = 0.03 * width, 0.03 * height
        cx = width / 2 + rng.uniform(-1, 1) * max(0, margin_x - inner_x)
        cy = height / 2 + rng.uniform(-1, 1) * max(0, margin_y - inner_y)
    else:
        # Push the document over one or two edges by 8-30% of its size.
        cx, cy = width / 2, height / 2
        overshoot = rng.uniform(0.08, 0.3)
        side = rng.integers(4)
        two_edges = rng.random() < 0.4  # a corner off two edges
        sign = rng.choice([-1, 1])
        if side in (0, 1):
            cx += (1 if side == 0 else -1) * (margin_x + overshoot * span_x)
            if two_edges:
                cy += sign * (max(margin_y, 0) + 0.1 * span_y)
        else:
            cy += (1 if side == 2 else -1) * (margin_y + overshoot * span_y)
            if two_edges:
                cx += sign * (max(margin_x, 0) + 0.1 * span_x)
    return np.add(corners, [cx, cy]).astype(np.float32)


def compose(
    document: Image.Image, rng, *, size=(2400, 1800), cut_off=False
) -> tuple[np.ndarray, np.ndarray]:
    """The document photographed on a table; returns the RGB float scene and the
    document's mask."""
    width, height = size
    if rng.random() < 0.3:
        width, height = height, width  # portrait
    rgba = document.convert("RGBA")
    doc = np.asarray(rgba).astype(np.float32)
    doc_h, doc_w = doc.shape[:2]
    source = np.array([[0, 0], [doc_w, 0], [doc_w, doc_h], [0, doc_h]], np.float32)
    target = _placement(rng, doc_w, doc_h, width, height, cut_off=cut_off)
    matrix = cv2.getPerspectiveTransform(source, target)
    warped = cv2.warpPerspective(
        doc, matrix, (width, height), flags=cv2.INTER_AREA, borderValue=(0, 0, 0, 0)
    )
    alpha = warped[..., 3:4] / 255.0
    scene = _background(rng, width, height) * (1 - alpha) + warped[..., :3] * alpha
    # Uneven light: a smooth gradient across the frame, sometimes a soft shadow.
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    direction = rng.uniform(0, 2 * math.pi)
    ramp = (xx / width - 0.5) * math.cos(direction) + (yy / height - 0.5) * math.sin(
        direction
    )
    light = 0.95 + rng.uniform(0.05, 0.15) * ramp
    scene *= light[..., None]
    return scene, alpha[..., 0]


def _camera(scene: np.ndarray, rng, *, softness: float, noise: float) -> np.ndarray:
    if softness > 0:
        scene = cv2.GaussianBlur(scene, (0, 0), softness)
    scene = scene + rng.normal(0, noise, scene.shape[:2])[..., None].astype(np.float32)
    return scene


def _motion_kernel(length: int, angle: float) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1
    rotation = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1)
    kernel = cv2.warpAffine(kernel, rotation, (length, length))
    return kernel / kernel.sum()


def _glare(scene, mask, rng) -> np.ndarray:
    ys, xs = np.nonzero(mask > 0.5)
    pick = rng.integers(len(xs))
    cx, cy = xs[pick], ys[pick]
    extent = math.sqrt(len(xs))
    rx = extent * rng.uniform(0.1, 0.2)
    ry = rx * rng.uniform(0.4, 1.0)
    height, width = mask.shape
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, math.pi)
    dx, dy = xx - cx, yy - cy
    u = (dx * math.cos(angle) + dy * math.sin(angle)) / rx
    v = (-dx * math.sin(angle) + dy * math.cos(angle)) / ry
    distance = np.sqrt(u * u + v * v)
    strength = np.clip(1.6 - distance, 0, 1) ** 1.5  # a saturated core, soft rim
    return scene + (300 - scene) * strength[..., None]


def make_sample(
    seed: int, *, kind: str | None = None, defect: str = "good", size=(2400, 1800)
) -> Sample:
    rng = np.random.default_rng(seed)
    kind = kind or KINDS[seed % len(KINDS)]
    document = RENDERERS[kind](rng)
    if defect == "low_resolution":
        long_side = {"id_card": rng.integers(420, 720)}.get(
            kind, rng.integers(560, 1100)
        )
        size = (int(long_side), int(long_side * 3 / 4))
    scene, mask = compose(document, rng, size=size, cut_off=defect == "cut_off")
    work = 1024 / max(scene.shape[:2])  # blur is set at the working scale
    softness = rng.uniform(0.2, 0.6) / work
    if defect == "blurred" and rng.random() < 0.6:
        softness = rng.uniform(1.8, 4.0) / work
    scene = _camera(scene, rng, softness=softness, noise=rng.uniform(1.5, 4))
    if defect == "blurred" and softness < 1 / work:
        length = int(rng.uniform(9, 22) / work) | 1
        scene = cv2.filter2D(scene, -1, _motion_kernel(length, rng.uniform(0, 180)))
    if defect == "glare":
        scene = _glare(scene, mask, rng)
    # A phone exposes white paper at about 200-235, not at the clipping point.
    gain = rng.uniform(0.82, 0.98)
    if defect == "too_dark":
        gain = rng.uniform(0.15, 0.32)
    elif defect == "overexposed":
        gain = rng.uniform(1.6, 2.4)
    scene = np.clip(scene * gain, 0, 255).astype(np.uint8)
    return Sample(Image.fromarray(scene), kind, defect, seed)


def labelled_set(per_defect: int, *, start: int = 1000, size=(2400, 1800)):
    """``per_defect`` samples of each defect, kinds in rotation."""
    for index in range(per_defect):
        for offset, defect in enumerate(DEFECTS):
            seed = start + index * len(DEFECTS) + offset
            yield make_sample(
                seed, kind=KINDS[index % len(KINDS)], defect=defect, size=size
            )
