"""Who may open an uploaded file."""

from huji.materials.constants import Domain
from huji.organizations.permissions import can_access_organisation


def can_view_upload(user, upload) -> bool:
    """The resident who uploaded it; staff whose jurisdiction covers the
    organisation handling the record it is attached to (residence records: any
    center clerk, 全市通办). Deleted files are visible to no one."""
    if user is None or not user.is_authenticated or upload.deleted_at is not None:
        return False
    if upload.uploaded_by_id == user.pk:
        return True
    if not user.is_staff_member or upload.organisation_id is None:
        return False
    return can_access_organisation(
        user, upload.organisation_id, domain=upload.domain or Domain.HOUSEHOLD
    )


def can_delete_upload(user, upload, *, editable: bool = False) -> bool:
    """Only its uploader, and only while it is not attached or still editable."""
    if user is None or not user.is_authenticated or upload.deleted_at is not None:
        return False
    return upload.uploaded_by_id == user.pk and (upload.claimed_at is None or editable)
