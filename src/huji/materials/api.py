"""``/api/v1/materials``: check a photo, upload, list, fetch and delete uploads.

Residents (session + CSRF). ``POST /check`` returns the clarity verdict without
storing anything; ``POST /uploads`` stores a file for a material slot. Refused
files come back as 400 ``{"detail": <Chinese message>, "code": <refusal code>}``;
uploads out of reach as 404, exactly like missing ones. The file itself is
fetched from ``file_url`` (``/files/<id>/``), permission-checked.
"""

import datetime
import uuid

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from huji.accounts.api_auth import any_auth, resident_auth
from huji.materials import selectors, services
from huji.materials.constants import MaterialKind

router = Router(tags=["materials"])


class Refusal(Schema):
    detail: str
    code: str


class ProblemOut(Schema):
    code: str
    message: str
    values: dict


class VerdictOut(Schema):
    ok: bool
    problems: list[ProblemOut]
    measures: dict


class UploadOut(Schema):
    id: uuid.UUID
    material_kind: str
    slot_key: str
    content_type: str
    size: int
    sha256: str
    width: int | None
    height: int | None
    page_count: int
    verdict: VerdictOut
    claimed: bool
    created_at: datetime.datetime
    file_url: str
    thumbnail_url: str
    page_urls: list[str]


class UploadPage(Schema):
    count: int
    items: list[UploadOut]


def upload_out(upload) -> dict:
    key = {"public_id": upload.public_id}
    verdict = {"ok": True, "problems": [], "measures": {}, **upload.verdict}
    return {
        "id": upload.public_id,
        "material_kind": upload.material_kind,
        "slot_key": upload.slot_key,
        "content_type": upload.content_type,
        "size": upload.size,
        "sha256": upload.sha256,
        "width": upload.width,
        "height": upload.height,
        "page_count": upload.page_count,
        "verdict": verdict,
        "claimed": upload.claimed_at is not None,
        "created_at": upload.created_at,
        "file_url": reverse("materials:file", kwargs=key),
        "thumbnail_url": reverse("materials:thumbnail", kwargs=key),
        "page_urls": [
            reverse("materials:page", kwargs={**key, "number": number})
            for number in range(1, len(upload.page_keys) + 1)
        ],
    }


def _kind(material_kind: str) -> str:
    if material_kind not in MaterialKind.values:
        raise HttpError(
            400, "material_kind must be one of " + ", ".join(MaterialKind.values)
        )
    return material_kind


@router.post(
    "/check",
    auth=resident_auth,
    response={200: VerdictOut, 400: Refusal},
    summary="Check one photo's clarity and completeness (nothing is stored)",
)
def check(request, file: File[UploadedFile], material_kind: Form[str]):
    try:
        verdict = services.upload_check(file=file, material_kind=_kind(material_kind))
    except services.UploadRefused as exc:
        return Status(400, {"detail": exc.message, "code": exc.code})
    return Status(200, verdict.as_dict())


@router.post(
    "/uploads",
    auth=resident_auth,
    response={201: UploadOut, 400: Refusal},
    summary="Upload a photo or PDF for a material slot",
)
def upload_create(
    request,
    file: File[UploadedFile],
    material_kind: Form[str],
    slot_key: Form[str] = "",
):
    try:
        upload = services.upload_accept(
            file=file,
            uploaded_by=request.user,
            material_kind=_kind(material_kind),
            slot_key=slot_key,
        )
    except services.UploadRefused as exc:
        return Status(400, {"detail": exc.message, "code": exc.code})
    return Status(201, upload_out(upload))


@router.get("/uploads", auth=resident_auth, response=UploadPage, summary="My uploads")
def upload_list(request, slot_key: str | None = None, limit: int = 20, offset: int = 0):
    limit, offset = max(1, min(limit, 100)), max(0, offset)
    queryset = selectors.uploads_of_resident(user=request.user, slot_key=slot_key)
    items = list(queryset[offset : offset + limit])
    return {"count": queryset.count(), "items": [upload_out(u) for u in items]}


@router.get("/uploads/{upload_id}", auth=any_auth, response=UploadOut)
def upload_detail(request, upload_id: uuid.UUID):
    upload = selectors.upload_get_for_user(public_id=upload_id, user=request.user)
    return upload_out(upload)


@router.delete(
    "/uploads/{upload_id}", auth=resident_auth, response={204: None, 403: Refusal}
)
def upload_remove(request, upload_id: uuid.UUID):
    upload = selectors.upload_get_for_user(public_id=upload_id, user=request.user)
    try:
        services.upload_delete(upload=upload, actor=request.user)
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc) or "forbidden", "code": "not_editable"})
    return Status(204, None)
