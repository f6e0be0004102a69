"""Reads of uploads, already scoped to what the user may see."""

from django.http import Http404

from huji.materials.models import MaterialUpload
from huji.materials.permissions import can_view_upload


def upload_get_for_user(*, public_id, user) -> MaterialUpload:
    """The upload if ``user`` may see it; the same 404 for missing and not yours."""
    upload = (
        MaterialUpload.objects.select_related("organisation")
        .filter(public_id=public_id, deleted_at__isnull=True)
        .first()
    )
    if upload is None or not can_view_upload(user, upload):
        raise Http404("No such file.")
    return upload


def uploads_of_resident(*, user, slot_key: str | None = None):
    """A resident's own uploads, newest first (paginate the result)."""
    queryset = MaterialUpload.objects.filter(uploaded_by=user, deleted_at__isnull=True)
    if slot_key is not None:
        queryset = queryset.filter(slot_key=slot_key)
    return queryset.order_by("-created_at", "-id")


def uploads_by_public_ids(public_ids) -> dict:
    """Uploads by public id, for records that list their materials (one query)."""
    uploads = MaterialUpload.objects.filter(
        public_id__in=list(public_ids), deleted_at__isnull=True
    )
    return {upload.public_id: upload for upload in uploads}
