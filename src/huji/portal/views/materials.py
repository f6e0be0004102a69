"""Resident pages for materials: check a photo before applying, and the endpoint
the upload widget posts to (htmx) from an application's materials step."""

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huji.accounts.decorators import resident_required
from huji.materials import services
from huji.materials.constants import MaterialKind

CHECK_KINDS = [
    MaterialKind.ID_CARD,
    MaterialKind.HUKOU_PAGE,
    MaterialKind.CERTIFICATE,
    MaterialKind.DOCUMENT,
]


@resident_required
def materials_check(request):
    """Take or choose a photo and see at once whether it is clear and complete.
    Nothing is stored. Works as a plain form; with htmx only the verdict is
    swapped in."""
    context = {"kinds": [(k.value, k.label) for k in CHECK_KINDS], "kind": "id_card"}
    status = 200
    if request.method == "POST":
        kind = request.POST.get("material_kind", "")
        context["kind"] = kind
        photo = request.FILES.get("photo")
        if kind not in MaterialKind.values:
            context["kind_error"] = _("请选择材料类型。")
            context["kind"] = "id_card"
        elif photo is None:
            context["photo_error"] = _("请拍摄或选择一张照片。")
        else:
            try:
                verdict = services.upload_check(file=photo, material_kind=kind)
                context["verdict"] = verdict.as_dict()
            except services.UploadRefused as exc:
                context["photo_error"] = exc.message
        if "verdict" not in context:
            status = 422 if not request.htmx else 200
        if request.htmx:
            return render(request, "portal/materials/_check_result.html", context)
    return render(request, "portal/materials/check.html", context, status=status)


@require_POST
@resident_required
def materials_upload(request):
    """The upload widget's htmx endpoint: accept the file for one material slot
    and send back the widget with the thumbnail and the verdict."""
    field_name = request.GET.get("field", "")
    kind = request.GET.get("kind", "")
    if not field_name.isidentifier() or kind not in MaterialKind.values:
        return HttpResponseBadRequest("field and kind are required")
    context = {
        "field_name": field_name,
        "material_kind": kind,
        "slot_key": request.GET.get("slot", "")[:64],
        "label": request.GET.get("label", "")[:100] or MaterialKind(kind).label,
    }
    file = request.FILES.get(f"{field_name}_file")
    if file is None:
        context["error"] = _("请拍摄或选择一张照片。")
    else:
        try:
            context["upload"] = services.upload_accept(
                file=file,
                uploaded_by=request.user,
                material_kind=kind,
                slot_key=context["slot_key"],
            )
        except services.UploadRefused as exc:
            context["error"] = exc.message
    return render(request, "materials/_upload_widget.html", context)


urlpatterns = [
    path("materials/check/", materials_check, name="materials_check"),
    path("materials/upload/", materials_upload, name="materials_upload"),
]
