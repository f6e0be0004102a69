"""Materials settings, read lazily so tests and deployments can override them.

Override any of these in settings with the ``HUJI_MATERIALS_`` prefix, e.g.
``HUJI_MATERIALS_MAX_IMAGE_BYTES = 10 * 1024 * 1024`` or a partial
``HUJI_MATERIALS_THRESHOLDS = {"id_card": {"min_document_pixels": 800}}``.
"""

from django.conf import settings

DEFAULTS = {
    # Refusals, decided before anything is fully decoded.
    "MAX_IMAGE_BYTES": 15 * 1024 * 1024,
    "MAX_PDF_BYTES": 20 * 1024 * 1024,
    "MAX_PIXELS": 50_000_000,  # a 12-megapixel phone photo is far below this
    "MIN_PIXELS_SIDE": 64,
    "MAX_PDF_PAGES": 10,
    "MAX_PDF_PAGE_POINTS": 14400,  # the largest page side PDF allows (200 inches)
    # What is stored: re-encoded JPEG, long side capped; thumbnails; PDF renders.
    "STORED_MAX_SIDE": 4096,
    "STORED_JPEG_QUALITY": 88,
    "THUMB_MAX_SIDE": 480,
    "PDF_RENDER_MAX_SIDE": 1654,  # A4 at 200 dpi
    "STORAGE_ALIAS": "default",
    "KEY_PREFIX": "materials",
    # Clean-up of uploads never attached to anything.
    "UNCLAIMED_MAX_AGE_HOURS": 24,
    # Near-identical photos: Hamming distance of 64-bit difference hashes.
    "DUPLICATE_HASH_DISTANCE": 4,
}

# Thresholds of the clarity check. ``min_document_pixels`` is the long side of the
# document in the photo (in pixels of the original); the rest are measured at the
# working scale (the photo reduced to a 1024-pixel long side).
DEFAULT_THRESHOLDS = {
    "common": {
        "blur_edge_width": 3.6,  # px at working scale; a focused edge is 2-3 px
        "dark_mean": 70,  # mean luminance of the document below this: too dark
        "dark_p95": 120,
        "bright_p05": 215,  # even the darkest 5% (print) is this bright
        "bright_clipped": 0.35,  # share of the document clipped white
        "glare_share": 0.012,  # share of the document under one glare blob
        "glare_excess": 18,  # glare is this much brighter than the paper
        "cut_off_border": 0.2,  # share of a photo side the document may touch
    },
    "id_card": {"min_document_pixels": 640},
    "hukou_page": {"min_document_pixels": 900},
    "certificate": {"min_document_pixels": 1000},
    "document": {"min_document_pixels": 1000},
    "photo": {"min_document_pixels": 400, "check_cut_off": False},
}


def get(name: str):
    return getattr(settings, f"HUJI_MATERIALS_{name}", DEFAULTS[name])


def thresholds(kind: str) -> dict:
    """The thresholds for one kind of material, settings overriding defaults."""
    custom = getattr(settings, "HUJI_MATERIALS_THRESHOLDS", {})
    merged = {"check_cut_off": True}
    for part in ("common", kind):
        merged.update(DEFAULT_THRESHOLDS.get(part, {}))
        merged.update(custom.get(part, {}))
    return merged
