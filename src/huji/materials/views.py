"""Streaming stored files after a permission check: never a public URL.

``/files/<uuid>/`` the file itself (a photo inline, a PDF as a download),
``/files/<uuid>/thumb/`` its thumbnail, ``/files/<uuid>/pages/<n>/`` a rendered
PDF page. Missing and not-yours give the same 404; every staff fetch is audited.
"""

from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from huji.audit.services import audit_record
from huji.materials import storage
from huji.materials.selectors import upload_get_for_user


def _stream(request, public_id, *, part: str, page: int | None = None):
    user = request.user
    if not user.is_authenticated:
        query = urlencode({"next": request.get_full_path()})
        return redirect(reverse("portal:sign_in") + "?" + query)
    if user.is_staff_member and not user.is_verified():
        raise Http404
    upload = upload_get_for_user(public_id=public_id, user=user)
    key, content_type, suffix = _choose(upload, part, page)
    if upload.uploaded_by_id != user.pk:
        audit_record(
            actor=user,
            action="read:material",
            obj=upload,
            request=request,
            changes={"part": part, "page": page} if page else {"part": part},
        )
    if not key:
        # An upload whose file was never written (or was cleaned up) has no key;
        # opening "" would open the storage root itself.
        raise Http404
    try:
        handle = storage.get_storage().open(key, "rb")
    except (FileNotFoundError, IsADirectoryError):
        raise Http404 from None
    filename = f"{upload.material_kind}-{str(upload.public_id)[:8]}{suffix}"
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _choose(upload, part: str, page: int | None):
    if part == "thumb":
        return upload.thumbnail_key, "image/jpeg", "-thumb.jpg"
    if part == "page":
        if page is None or not 1 <= page <= len(upload.page_keys):
            raise Http404
        return upload.page_keys[page - 1], "image/jpeg", f"-p{page}.jpg"
    suffix = ".pdf" if upload.is_pdf else ".jpg"
    return upload.storage_key, upload.content_type, suffix


@require_GET
def file_view(request, public_id):
    return _stream(request, public_id, part="file")


@require_GET
def thumbnail_view(request, public_id):
    return _stream(request, public_id, part="thumb")


@require_GET
def page_view(request, public_id, number: int):
    return _stream(request, public_id, part="page", page=number)
