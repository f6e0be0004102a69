"""Writes for materials: accept an upload, check a photo, claim, delete, clean up.

``upload_accept`` is all or nothing: the file is sniffed, limited, decoded,
re-encoded without metadata and checked *before* anything is stored; if storing
or recording fails, every file already written is removed again.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huji.audit.services import audit_record
from huji.materials import clarity, conf, intake, storage
from huji.materials.clarity import Verdict
from huji.materials.constants import Domain, MaterialKind, Problem, RefusalCode
from huji.materials.intake import UploadRefused
from huji.materials.models import MaterialUpload
from huji.materials.permissions import can_delete_upload

__all__ = [
    "UploadRefused",
    "Verdict",
    "upload_accept",
    "upload_check",
    "upload_claim",
    "upload_delete",
    "uploads_cleanup",
]


@dataclass
class Prepared:
    """A file made safe, checked, and ready to be stored."""

    content_type: str
    data: bytes  # what is stored: a clean JPEG, or a cleaned PDF
    sha256: str
    size: int
    width: int | None
    height: int | None
    page_count: int
    thumbnail: bytes
    pages: list[bytes] = field(default_factory=list)
    verdict: Verdict = field(default_factory=Verdict)
    dhash: str = ""


def _kind(material_kind: str) -> str:
    if material_kind not in MaterialKind.values:
        raise UploadRefused(
            _("材料类型不正确，请刷新页面后重试。"), code=RefusalCode.UNKNOWN_KIND
        )
    return material_kind


def _prepare(file, kind: str) -> Prepared:
    data = intake.read_limited(file)
    content_type = intake.sniff(data, getattr(file, "name", "") or "")
    digest = hashlib.sha256(data).hexdigest()
    if content_type == intake.PDF:
        return _prepare_pdf(data, digest, kind)
    decoded = intake.decode_image(data)
    gray = intake.grey_array(decoded.image)
    verdict = clarity.analyse(gray, kind=kind, original_size=decoded.original_size)
    stored = intake.encode_jpeg(decoded.image)
    return Prepared(
        content_type=intake.JPEG,
        data=stored,
        sha256=digest,
        size=len(stored),
        width=decoded.image.width,
        height=decoded.image.height,
        page_count=1,
        thumbnail=intake.encode_jpeg(
            decoded.image, max_side=conf.get("THUMB_MAX_SIDE")
        ),
        verdict=verdict,
        dhash=clarity.difference_hash(gray),
    )


def _prepare_pdf(data: bytes, digest: str, kind: str) -> Prepared:
    page_count = intake.inspect_pdf(data)
    cleaned = intake.clean_pdf(data)
    pages = intake.render_pdf(cleaned)
    verdict = _check_pages(pages, kind)
    first = pages[0]
    return Prepared(
        content_type=intake.PDF,
        data=cleaned,
        sha256=digest,
        size=len(cleaned),
        width=first.width,
        height=first.height,
        page_count=page_count,
        thumbnail=intake.encode_jpeg(first, max_side=conf.get("THUMB_MAX_SIDE")),
        pages=[intake.encode_jpeg(page) for page in pages],
        verdict=verdict,
        dhash=clarity.difference_hash(intake.grey_array(first)),
    )


def _check_pages(pages, kind: str) -> Verdict:
    """A PDF is a scan: check each page for sharpness and exposure (its corners
    and glare are not a question), and report problems with their page."""
    verdict = Verdict(measures={"pages": []})
    for number, page in enumerate(pages, start=1):
        gray = intake.grey_array(page)
        page_verdict = clarity.analyse(
            gray, kind=kind, original_size=page.size, source="pdf"
        )
        verdict.measures["pages"].append(page_verdict.measures)
        for problem in page_verdict.problems:
            if problem["code"] == Problem.LOW_RESOLUTION:
                continue  # the renderer chose the resolution, not the resident
            if problem["code"] not in verdict.codes:
                verdict.problems.append(
                    {**problem, "values": {**problem["values"], "page": number}}
                )
    return verdict


def upload_check(*, file, material_kind: str) -> Verdict:
    """The clarity verdict for one photo (or PDF), storing nothing. The photo is
    decoded at reduced scale: this is the fast path residents wait for."""
    kind = _kind(material_kind)
    data = intake.read_limited(file)
    content_type = intake.sniff(data, getattr(file, "name", "") or "")
    if content_type == intake.PDF:
        intake.inspect_pdf(data)
        pages = intake.render_pdf(data, max_side=clarity.WORKING_SIDE)
        return _check_pages(pages, kind)
    gray, original_size = intake.decode_for_check(data)
    return clarity.analyse(gray, kind=kind, original_size=original_size)


def _find_duplicate(*, uploaded_by, prepared: Prepared, slot_key: str):
    others = MaterialUpload.objects.filter(
        uploaded_by=uploaded_by, deleted_at__isnull=True
    ).exclude(slot_key=slot_key)
    exact = others.filter(sha256=prepared.sha256).first()
    if exact is not None:
        return exact, 0
    if not prepared.dhash:
        return None, None
    limit = conf.get("DUPLICATE_HASH_DISTANCE")
    recent = others.exclude(dhash="").only("public_id", "slot_key", "dhash")[:200]
    for other in recent:
        distance = clarity.hash_distance(other.dhash, prepared.dhash)
        if distance <= limit:
            return other, distance
    return None, None


def upload_accept(
    *, file, uploaded_by, material_kind: str, slot_key: str = ""
) -> MaterialUpload:
    """Accept one file for ``slot_key`` (a material slot of a record, or empty).

    Raises ``UploadRefused`` (with a Chinese message and a ``code``) when the file
    is not accepted; problems of clarity do not refuse, they are in the verdict.
    """
    if uploaded_by is None or not uploaded_by.is_authenticated:
        raise PermissionDenied
    kind = _kind(material_kind)
    prepared = _prepare(file, kind)
    duplicate, distance = _find_duplicate(
        uploaded_by=uploaded_by, prepared=prepared, slot_key=slot_key
    )
    if duplicate is not None:
        prepared.verdict.add(
            Problem.DUPLICATE,
            other=str(duplicate.public_id),
            other_slot=duplicate.slot_key,
            hash_distance=distance,
        )
    written: list[str] = []
    try:
        with transaction.atomic():
            upload = _store(
                prepared,
                uploaded_by=uploaded_by,
                kind=kind,
                slot_key=slot_key,
                name=getattr(file, "name", "") or "",
                written=written,
            )
            audit_record(
                actor=uploaded_by,
                action="create:material",
                obj=upload,
                changes={
                    "material_kind": kind,
                    "slot_key": slot_key,
                    "problems": prepared.verdict.codes,
                },
            )
    except BaseException:
        storage.delete_quietly(written)
        raise
    return upload


def _store(prepared: Prepared, *, uploaded_by, kind, slot_key, name, written):
    upload = MaterialUpload(
        uploaded_by=uploaded_by,
        material_kind=kind,
        slot_key=slot_key[:64],
        original_name=name[-200:],
        content_type=prepared.content_type,
        size=prepared.size,
        sha256=prepared.sha256,
        dhash=prepared.dhash,
        width=prepared.width,
        height=prepared.height,
        page_count=prepared.page_count,
        verdict=prepared.verdict.as_dict(),
        created_at=timezone.now(),
    )
    folder = storage.folder_for(upload)
    suffix = "pdf" if prepared.content_type == intake.PDF else "jpg"
    upload.storage_key = storage.save(
        f"{folder}/original.{suffix}", prepared.data, written
    )
    upload.thumbnail_key = storage.save(
        f"{folder}/thumb.jpg", prepared.thumbnail, written
    )
    upload.page_keys = [
        storage.save(f"{folder}/page-{number}.jpg", page, written)
        for number, page in enumerate(prepared.pages, start=1)
    ]
    upload.save()
    return upload


@transaction.atomic
def upload_claim(
    *, upload: MaterialUpload, organisation, actor, domain: str = Domain.HOUSEHOLD
) -> MaterialUpload:
    """Attach an upload to a record handled by ``organisation``: from now on the
    staff of that jurisdiction may open it, and the clean-up leaves it alone.
    Called by the app that owns the record, with the resident or staff acting."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    if actor.is_resident and upload.uploaded_by_id != actor.pk:
        raise PermissionDenied
    upload = MaterialUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.deleted_at is not None:
        raise ValidationError(_("这份材料已被删除，请重新上传。"), code="deleted")
    previous = upload.organisation_id
    upload.organisation = organisation
    upload.domain = domain
    fields = ["organisation", "domain"]
    if upload.claimed_at is None:
        upload.claimed_at = timezone.now()
        fields.append("claimed_at")
    upload.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="claim:material",
        obj=upload,
        changes={"organisation": [previous, organisation.pk], "domain": domain},
    )
    return upload


@transaction.atomic
def upload_delete(*, upload: MaterialUpload, actor, editable: bool = False) -> None:
    """The uploader removes a file while it is unattached, or while the record it
    belongs to is still editable (the caller says so). The files go at commit."""
    upload = MaterialUpload.objects.select_for_update().get(pk=upload.pk)
    if not can_delete_upload(actor, upload, editable=editable):
        raise PermissionDenied(_("这份材料已提交，不能删除。"))
    upload.deleted_at = timezone.now()
    upload.save(update_fields=["deleted_at"])
    audit_record(actor=actor, action="delete:material", obj=upload)
    keys = upload.all_keys()
    transaction.on_commit(lambda: storage.delete_quietly(keys))


def uploads_cleanup(*, older_than_hours: int | None = None, now=None) -> int:
    """Remove uploads never claimed within the period, and their files; also
    files left behind by an upload whose record was rolled back. Idempotent."""
    hours = older_than_hours or conf.get("UNCLAIMED_MAX_AGE_HOURS")
    cutoff = (now or timezone.now()) - timedelta(hours=hours)
    stale = MaterialUpload.objects.filter(
        claimed_at__isnull=True, created_at__lt=cutoff
    ).order_by("pk")
    removed = 0
    for upload in stale.iterator(chunk_size=200):
        storage.delete_quietly(upload.all_keys())
        with transaction.atomic():
            deleted, _counts = MaterialUpload.objects.filter(
                pk=upload.pk, claimed_at__isnull=True
            ).delete()
        removed += deleted
    # Deleted-by-resident files already went at commit; drop the old rows' files
    # again in case that failed, without touching rows that records refer to.
    gone = MaterialUpload.objects.filter(deleted_at__lt=cutoff)
    for upload in gone.iterator(chunk_size=200):
        storage.delete_quietly(upload.all_keys())
    return removed + _sweep_orphans(cutoff)


def _sweep_orphans(cutoff) -> int:
    """Folders in storage with no row (an upload rolled back after its files
    were written), older than ``cutoff``."""
    store = storage.get_storage()
    prefix = conf.get("KEY_PREFIX")
    removed = 0
    try:
        years, _files = store.listdir(prefix)
    except (FileNotFoundError, NotImplementedError):
        return 0
    for year in years:
        months, _files = store.listdir(f"{prefix}/{year}")
        for month in months:
            base = f"{prefix}/{year}/{month}"
            folders, _files = store.listdir(base)
            known = set(
                str(u)
                for u in MaterialUpload.objects.filter(
                    public_id__in=[f for f in folders if _is_uuid(f)]
                ).values_list("public_id", flat=True)
            )
            for folder in folders:
                if folder in known or not _is_uuid(folder):
                    continue
                _dirs, files = store.listdir(f"{base}/{folder}")
                keys = [f"{base}/{folder}/{name}" for name in files]
                if keys and all(_older(store, key, cutoff) for key in keys):
                    storage.delete_quietly(keys)
                    removed += 1
    return removed


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _older(store, key, cutoff) -> bool:
    try:
        return store.get_modified_time(key) < cutoff
    except (NotImplementedError, FileNotFoundError):
        return True
