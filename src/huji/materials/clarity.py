"""The clarity and completeness check (清晰、完整) of one document photo.

Works on a greyscale image already reduced to the working scale (long side about
1024 pixels: sharpness is judged relative to the document, as a reader would).
Every measure is returned, and each problem carries the values that decided it,
so an officer can see why a photo was flagged. Thresholds come from ``conf``.
"""

from dataclasses import dataclass, field

import cv2
import numpy as np

from huji.materials import conf
from huji.materials.constants import PROBLEM_ADVICE, Problem

WORKING_SIDE = 1024
LOCATE_SIDE = 320


@dataclass
class Verdict:
    problems: list[dict] = field(default_factory=list)
    measures: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def codes(self) -> list[str]:
        return [problem["code"] for problem in self.problems]

    def add(self, code: str, **values) -> None:
        if code in self.codes:
            return
        self.problems.append(
            {"code": str(code), "message": str(PROBLEM_ADVICE[code]), "values": values}
        )

    def as_dict(self) -> dict:
        return {"ok": self.ok, "problems": self.problems, "measures": self.measures}


@dataclass
class Document:
    """Where the document is in the photo, at the locating scale."""

    mask: np.ndarray
    corners: list[list[float]]  # four corners, as shares of width and height
    area_share: float
    long_side_share: float  # the document's long side / the photo's long side
    border_touch: float  # the largest share of one image side the document touches
    method: str


def to_working(gray: np.ndarray) -> np.ndarray:
    height, width = gray.shape[:2]
    scale = WORKING_SIDE / max(height, width)
    if scale >= 1:
        return gray
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA)


def analyse(
    gray: np.ndarray,
    *,
    kind: str,
    original_size: tuple[int, int],
    source: str = "photo",
) -> Verdict:
    """Check one greyscale image (any scale ≤ the original) of a ``kind``."""
    limits = conf.thresholds(kind)
    gray = to_working(gray)
    verdict = Verdict()
    document = locate_document(gray)
    region = _region_mask(document, gray.shape) if document else None

    # Sharpness needs the working scale; light and glare are judged at half.
    half = cv2.resize(
        gray, (gray.shape[1] // 2, gray.shape[0] // 2), interpolation=cv2.INTER_AREA
    )
    half_region = _region_mask(document, half.shape) if document else None
    _check_resolution(verdict, document, original_size, limits)
    exposed_badly = _check_exposure(verdict, half, half_region, limits)
    # In a photo far too dark or too bright, sensor noise and blown-out paper
    # make sharpness, glare and the outline unreliable: the resident is asked to
    # fix the light first, and the rest is judged on the retake.
    if Problem.TOO_DARK not in verdict.codes:
        _check_sharpness(verdict, gray, region, limits)
    if source == "photo" and not exposed_badly:
        _check_glare(verdict, half, half_region, limits)
        if limits["check_cut_off"]:
            _check_cut_off(verdict, document, limits)
    return verdict


# Locating the document -------------------------------------------------------


def locate_document(gray: np.ndarray) -> Document | None:
    """Find the document: the most rectangular large bright region, trying several
    brightness levels (uneven light makes one level fail) and, for paper on a pale
    desk, the region enclosed by the strongest outline."""
    height, width = gray.shape
    scale = LOCATE_SIDE / max(height, width)
    small = cv2.resize(
        gray,
        (max(1, round(width * scale)), max(1, round(height * scale))),
        interpolation=cv2.INTER_AREA,
    )
    # Closing erases dark print on paper and dark grain on wood alike.
    small = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    small = cv2.GaussianBlur(small, (5, 5), 0)
    best = None
    for method, mask in _candidate_masks(small):
        candidate = _describe(mask, method, small)
        if candidate is not None and (best is None or candidate[0] > best[0]):
            best = candidate
    return best[1] if best else None


def _candidate_masks(small: np.ndarray):
    otsu, _ = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    levels = {int(otsu)} | {int(v) for v in np.percentile(small, (35, 50, 65, 80))}
    for level in sorted(levels):
        yield "brightness", np.where(small > level, 255, 0).astype(np.uint8)
    median = float(np.median(small))
    edges = cv2.Canny(small, 0.4 * median, 0.8 * median)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=1)
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    outline = np.zeros_like(small)
    cv2.drawContours(outline, contours, -1, 255, thickness=cv2.FILLED)
    yield "outline", outline


def _describe(mask: np.ndarray, method: str, small: np.ndarray):
    height, width = mask.shape
    kernel = np.ones((5, 5), np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=4)
    if count < 2:
        return None
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    component = np.where(labels == biggest, 255, 0).astype(np.uint8)
    contours, _ = cv2.findContours(
        component, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
    )
    contour = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(contour)
    area = cv2.contourArea(hull)
    area_share = area / (height * width)
    if not 0.04 <= area_share <= 0.95:
        return None
    rect = cv2.minAreaRect(hull)
    if rect[1][0] * rect[1][1] <= 0:
        return None
    filled = np.zeros_like(component)
    cv2.drawContours(filled, [hull], -1, 255, thickness=cv2.FILLED)
    touches = _side_touches(filled)
    if sum(share > 0.5 for share in touches) >= 3:
        return None  # the table or the whole frame, not a document
    solidity = cv2.contourArea(contour) / max(area, 1)
    rectangularity = _quad_fit(hull) * solidity
    if rectangularity < 0.85:
        return None
    edge = _edge_strength(small, hull)
    if edge < 0.5:
        return None  # a region cut out of the table by a brightness level
    corners = _corners(hull)
    document = Document(
        mask=filled,
        corners=[
            [round(float(x) / width, 3), round(float(y) / height, 3)]
            for x, y in corners
        ],
        area_share=round(float(area_share), 3),
        long_side_share=round(max(rect[1]) / max(height, width), 3),
        border_touch=round(max(touches), 3),
        method=method,
    )
    return (rectangularity + 0.4 * area_share) * edge, document


def _edge_strength(small: np.ndarray, hull: np.ndarray, step: float = 2.0) -> float:
    """The share of the outline (where it is inside the photo) along which the
    region is clearly brighter inside than just outside: true for a sheet of paper
    on a table, false where a brightness level merely cut through the table."""
    height, width = small.shape
    starts = hull.reshape(-1, 2).astype(np.float32)
    ends = np.roll(starts, -1, axis=0)
    vectors = ends - starts
    lengths = np.hypot(vectors[:, 0], vectors[:, 1])
    keep = lengths >= 1
    starts, vectors, lengths = starts[keep], vectors[keep], lengths[keep]
    normals = np.stack([vectors[:, 1], -vectors[:, 0]], axis=1) / lengths[:, None]
    middles = starts + vectors / 2
    outward = np.sum((middles - starts.mean(axis=0)) * normals, axis=1) < 0
    normals[outward] *= -1
    counts = np.maximum(1, (lengths / step).astype(int))
    index = np.repeat(np.arange(len(starts)), counts)
    fraction = np.concatenate([np.arange(n) / n for n in counts])
    points = starts[index] + vectors[index] * fraction[:, None]
    outside = np.rint(points + 4 * normals[index]).astype(int)
    inside = np.rint(points - 4 * normals[index]).astype(int)
    valid = (
        (outside[:, 0] >= 0)
        & (outside[:, 0] < width)
        & (outside[:, 1] >= 0)
        & (outside[:, 1] < height)
        & (inside[:, 0] >= 0)
        & (inside[:, 0] < width)
        & (inside[:, 1] >= 0)
        & (inside[:, 1] < height)
    )
    if valid.sum() < 20:
        return 0.0
    inner = small[inside[valid, 1], inside[valid, 0]].astype(int)
    outer = small[outside[valid, 1], outside[valid, 0]].astype(int)
    return float(np.mean(inner - outer >= 12))


def _quad_fit(hull: np.ndarray) -> float:
    """How well the hull is a quadrilateral (1.0: exactly): area of the best
    four-cornered approximation over the hull's area."""
    perimeter = cv2.arcLength(hull, True)
    hull_area = max(cv2.contourArea(hull), 1)
    for epsilon in (0.02, 0.04, 0.06, 0.08):
        quad = cv2.approxPolyDP(hull, epsilon * perimeter, True)
        if len(quad) == 4:
            return min(cv2.contourArea(quad), hull_area) / hull_area
    box = cv2.boxPoints(cv2.minAreaRect(hull))
    return hull_area / max(cv2.contourArea(box), 1)


def _corners(hull: np.ndarray) -> np.ndarray:
    perimeter = cv2.arcLength(hull, True)
    for epsilon in (0.02, 0.04, 0.06, 0.08):
        quad = cv2.approxPolyDP(hull, epsilon * perimeter, True)
        if len(quad) == 4:
            return quad.reshape(4, 2).astype(float)
    return cv2.boxPoints(cv2.minAreaRect(hull))


def _side_touches(mask: np.ndarray) -> list[float]:
    """For each side of the photo, the share of it that the document touches."""
    sides = (
        mask[:2, :].max(axis=0),
        mask[-2:, :].max(axis=0),
        mask[:, :2].max(axis=1),
        mask[:, -2:].max(axis=1),
    )
    return [float((side > 0).mean()) for side in sides]


def _region_mask(document: Document, shape) -> np.ndarray:
    height, width = shape
    mask = cv2.resize(document.mask, (width, height), interpolation=cv2.INTER_NEAREST)
    # Stay inside the document: its edge against the table is not its content.
    size = max(3, round(min(height, width) * 0.02)) | 1
    return cv2.erode(mask, np.ones((size, size), np.uint8)) > 0


# The checks ------------------------------------------------------------------


def _check_resolution(verdict, document, original_size, limits) -> None:
    long_side = max(original_size)
    share = document.long_side_share if document else 1.0
    document_pixels = round(long_side * min(share, 1.0))
    verdict.measures["image_width"], verdict.measures["image_height"] = original_size
    verdict.measures["document_pixels"] = document_pixels
    verdict.measures["document_found"] = document is not None
    if document:
        verdict.measures["document_area_share"] = document.area_share
        verdict.measures["document_corners"] = document.corners
    if document_pixels < limits["min_document_pixels"]:
        verdict.add(
            Problem.LOW_RESOLUTION,
            document_pixels=document_pixels,
            minimum=limits["min_document_pixels"],
        )


def edge_width(gray: np.ndarray, region: np.ndarray | None) -> float | None:
    """The typical width in pixels of the strong edges (a focused edge is about
    two pixels wide; blur widens it): the local contrast over the steepest slope.
    Edges running across x and across y are measured apart, and the worse one
    counts, so that shake in one direction is not averaged away."""
    window = np.ones((9, 9), np.uint8)
    spread = cv2.subtract(cv2.dilate(gray, window), cv2.erode(gray, window))
    strong = spread >= 48
    if region is not None:
        strong &= region
    # Twice the slope (a Sobel response is eight times it), kept in whole numbers.
    slope_x = cv2.convertScaleAbs(cv2.Sobel(gray, cv2.CV_16S, 1, 0), alpha=1 / 4)
    slope_y = cv2.convertScaleAbs(cv2.Sobel(gray, cv2.CV_16S, 0, 1), alpha=1 / 4)
    widths = []
    for along, across, kernel in (
        (slope_x, slope_y, np.ones((1, 3), np.uint8)),
        (slope_y, slope_x, np.ones((3, 1), np.uint8)),
    ):
        # The steepest point of each edge profile, on edges mostly in this direction.
        peak = along >= cv2.dilate(along, kernel)
        chosen = strong & peak & (along > 4) & (along >= cv2.add(across, across))
        if np.count_nonzero(chosen) < 50:
            continue
        width = 2 * spread[chosen].astype(np.float32) / along[chosen]
        widths.append(float(np.percentile(width, 30)))
    return max(widths) if widths else None


def _check_sharpness(verdict, gray, region, limits) -> None:
    width = edge_width(gray, region)
    if width is None:
        # No edge strong enough to judge: a blank or completely washed-out photo.
        verdict.measures["edge_width"] = None
        return
    verdict.measures["edge_width"] = round(width, 2)
    if width > limits["blur_edge_width"]:
        verdict.add(
            Problem.BLURRED, edge_width=round(width, 2), limit=limits["blur_edge_width"]
        )


def _check_exposure(verdict, gray, region, limits) -> bool:
    pixels = gray[region] if region is not None and region.any() else gray.ravel()
    mean = float(pixels.mean())
    p05, p95 = (float(v) for v in np.percentile(pixels, (5, 95)))
    clipped = float((pixels >= 250).mean())
    verdict.measures.update(
        brightness_mean=round(mean, 1),
        brightness_p05=round(p05, 1),
        brightness_p95=round(p95, 1),
        clipped_share=round(clipped, 3),
    )
    if mean < limits["dark_mean"] or p95 < limits["dark_p95"]:
        verdict.add(
            Problem.TOO_DARK,
            brightness_mean=round(mean, 1),
            brightness_p95=round(p95, 1),
            limit=limits["dark_mean"],
        )
        return True
    if p05 > limits["bright_p05"] or clipped > limits["bright_clipped"]:
        verdict.add(
            Problem.OVEREXPOSED,
            brightness_p05=round(p05, 1),
            clipped_share=round(clipped, 3),
            limit=limits["bright_p05"],
        )
        return True
    return False


def _check_glare(verdict, gray, region, limits) -> None:
    inside = region if region is not None else np.ones(gray.shape, bool)
    if not inside.any():
        return
    paper = float(np.percentile(gray[inside], 60))
    level = max(245.0, min(paper + limits["glare_excess"], 252.0))
    hot = ((gray >= level) & inside).astype(np.uint8)
    hot = cv2.morphologyEx(hot, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(hot, connectivity=8)
    largest = int(stats[1:, cv2.CC_STAT_AREA].max()) if count > 1 else 0
    share = largest / int(inside.sum())
    verdict.measures["glare_share"] = round(share, 4)
    verdict.measures["paper_brightness"] = round(paper, 1)
    if share > limits["glare_share"] and paper + limits["glare_excess"] <= 255:
        verdict.add(
            Problem.GLARE, glare_share=round(share, 4), limit=limits["glare_share"]
        )


def _check_cut_off(verdict, document, limits) -> None:
    if document is None:
        verdict.add(Problem.CUT_OFF, document_found=False)
        return
    verdict.measures["border_touch"] = document.border_touch
    if document.border_touch > limits["cut_off_border"]:
        verdict.add(
            Problem.CUT_OFF,
            border_touch=document.border_touch,
            limit=limits["cut_off_border"],
        )


def difference_hash(gray: np.ndarray) -> str:
    """A 64-bit perceptual hash: near-identical photos differ in few bits."""
    small = cv2.resize(gray, (9, 8), interpolation=cv2.INTER_AREA).astype(np.int16)
    bits = (small[:, 1:] > small[:, :-1]).ravel()
    return f"{int(''.join('1' if b else '0' for b in bits), 2):016x}"


def hash_distance(first: str, second: str) -> int:
    return (int(first, 16) ^ int(second, 16)).bit_count()
