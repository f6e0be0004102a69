"""The resident's household-registration journey (户籍云窗口), mobile-first.

Start (what you need) → 第1步 form → 第2步 materials → 第3步 review and submit →
第4步 the number and the expected dates. Then: the list, one application with its
timeline, corrections fixed in place, withdrawal, and the pre-approval notice with
the window booking. Every write calls ``applications.services`` or
``appointments.services``; every read goes through ``application_for_resident``, so
someone else's application is the same 404 as a missing one.
"""

import datetime
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huji.accounts.decorators import resident_required
from huji.applications import selectors as app_selectors
from huji.applications import services as app_services
from huji.applications.constants import State, Verdict
from huji.applications.models import MaterialPage
from huji.appointments import services as appt_services
from huji.appointments.models import WindowSlot
from huji.catalog.constants import FieldType
from huji.workflow.engine import TransitionRefused

STEPS = 4
REFUSALS = (TransitionRefused, ValidationError, appt_services.BookingRefused)


# ------------------------------------------------------------------ helpers


def _own(request, ref: str):
    return app_selectors.application_for_resident(user=request.user, number=ref)


def _refusal_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)
    return str(exc)


def _family_spec(version) -> dict | None:
    return next(
        (f for f in version.form_fields if f.get("type") == FieldType.FAMILY_MEMBERS),
        None,
    )


def _raw_value(spec: dict, value):
    """A submitted value as stored in the answers (kept even when invalid)."""
    kind = spec.get("type")
    if kind == FieldType.ADDRESS:
        parts = [*list(value or []), "", "", ""]
        return {
            "district": parts[0] or "",
            "street": parts[1] or "",
            "detail": parts[2] or "",
        }
    if kind == FieldType.BOOLEAN:
        return {"true": True, "false": False}.get(value)
    return (value or "").strip() if isinstance(value, str) else value


def _read_fields(form, specs: list[dict], data, prefix=None) -> dict:
    answers = {}
    for spec in specs:
        name = spec["name"]
        if name not in form.fields:
            continue
        key = form.add_prefix(name) if prefix is None else f"{prefix}-{name}"
        value = form.fields[name].widget.value_from_datadict(data, {}, key)
        answers[name] = _raw_value(spec, value)
    return answers


def _read_members(version, data) -> list[dict] | None:
    from huji.catalog.forms import build_member_formset

    spec = _family_spec(version)
    if spec is None:
        return None
    formset = build_member_formset(version=version, data=data)
    if formset is None:
        return None
    members = []
    subspecs = spec.get("fields") or []
    total = int(data.get(f"{formset.prefix}-TOTAL_FORMS") or 0)
    for index in range(min(total, int(spec.get("max") or 10))):
        form_prefix = f"{formset.prefix}-{index}"
        if data.get(f"{form_prefix}-DELETE"):
            continue
        form = formset.empty_form
        member = _read_fields(form, subspecs, data, prefix=form_prefix)
        if any(v not in (None, "", {}) for v in member.values()) and not all(
            isinstance(v, dict) and not any(v.values()) for v in member.values()
        ):
            members.append(member)
    return members


def _field_rows(form, errors: dict, prefix: str = "") -> list[dict]:
    # The formset's own DELETE box is rendered separately ("删除这一位").
    return [
        {"field": form[name], "errors": errors.get(f"{prefix}{name}", [])}
        for name in form.fields
        if name != "DELETE"
    ]


def _as_initial(answers: dict) -> dict:
    """Saved answers as form initial values (booleans as the select's values)."""
    return {
        key: {True: "true", False: "false"}.get(value, value)
        if isinstance(value, bool)
        else value
        for key, value in answers.items()
    }


def _form_context(
    application, errors: dict, *, only: set[str] | None = None, extra_member=False
):
    """The schema form and the family-members forms, filled from the saved answers
    with the service's errors next to each field."""
    from huji.catalog.forms import build_form, build_member_formset

    version = application.item_version
    answers = _as_initial(application.answers or {})
    form = build_form(version=version, initial=answers)
    if only is not None:
        for name in list(form.fields):
            if name not in only:
                del form.fields[name]
    rows = _field_rows(form, errors)
    spec = _family_spec(version)
    members = None
    if spec is not None and (only is None or spec["name"] in only):
        saved = [
            _as_initial(m)
            for m in answers.get(spec["name"]) or []
            if isinstance(m, dict)
        ]
        if extra_member:
            saved.append({})
        formset = build_member_formset(version=version, initial=saved or None)
        members = {
            "spec": spec,
            "formset": formset,
            "forms": [
                {
                    "prefix": f.prefix,
                    "rows": _field_rows(f, errors, prefix=f"{spec['name']}.{i}."),
                }
                for i, f in enumerate(formset.forms)
            ],
            "errors": errors.get(spec["name"], []),
        }
    return {"rows": rows, "members": members}


def _slots_context(application, errors: dict | None = None) -> list[dict]:
    """Each material slot with its catalog definition, pages and any problem."""
    from huji.catalog.selectors import required_materials

    errors = errors or {}
    definitions = {
        m["slot"]: m
        for m in required_materials(
            version=application.item_version, answers=application.answers or {}
        )
    }
    slots = application.slots.prefetch_related("pages__upload").order_by("order", "id")
    return [
        {
            "slot": slot,
            "material": definitions.get(slot.slot_key, {}),
            "pages": list(slot.pages.all()),
            "errors": errors.get(f"materials.{slot.slot_key}", []),
            "rejected": slot.verdict == Verdict.REJECTED,
        }
        for slot in slots
    ]


def _steps(step: int) -> dict:
    return {"step": step, "steps": STEPS}


def _editable(application) -> bool:
    return application.state in (State.DRAFT, State.CORRECTION_REQUESTED)


def _back_to_editing(application) -> str:
    if application.state == State.CORRECTION_REQUESTED:
        return reverse("portal:application_correction", args=[application.ref])
    return reverse("portal:application_materials", args=[application.ref])


# --------------------------------------------------------------------- start


@resident_required(verified=True)
def application_start(request, code: str):
    from huji.catalog.models import ItemVersion
    from huji.catalog.selectors import item_version_get, required_materials

    try:
        version = item_version_get(code=code)
    except ItemVersion.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        try:
            application = app_services.application_start(
                applicant=request.user, version=version
            )
        except app_services.ApplicationExists as exc:
            messages.warning(
                request, _("您已有一件该事项的申请正在办理中，请继续办理。")
            )
            return redirect("portal:application_detail", exc.application.ref)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _refusal_text(exc) or _("暂时不能申请该事项。"))
        else:
            return redirect("portal:application_form", application.ref)
    limits = {**app_services.DEFAULT_LIMITS, **(version.time_limits or {})}
    return render(
        request,
        "portal/applications/start.html",
        {
            "version": version,
            "materials": required_materials(version=version, answers={}),
            "limits": limits,
            "needs_district": version.route
            in ("station_district", "station_district_city"),
            "needs_city": version.route == "station_district_city",
        },
    )


# ------------------------------------------------------------ step 1: form


@resident_required(verified=True)
def application_form(request, ref: str):
    from huji.catalog.forms import build_form
    from huji.catalog.services import answers_validate

    application = _own(request, ref)
    if not _editable(application):
        return redirect("portal:application_detail", application.ref)
    version = application.item_version
    errors: dict = {}
    if request.method == "POST":
        form = build_form(version=version, data=request.POST)
        answers = _read_fields(form, version.form_fields, request.POST)
        members = _read_members(version, request.POST)
        spec = _family_spec(version)
        if spec is not None and members is not None:
            answers[spec["name"]] = members
        try:
            errors = app_services.application_answers_save(
                application=application, answers=answers, actor=request.user
            )
        except REFUSALS as exc:
            messages.error(request, _refusal_text(exc))
            return redirect("portal:application_detail", application.ref)
        application.refresh_from_db()
        if "add_member" in request.POST:
            errors = {}
        elif "continue" in request.POST and not errors:
            return redirect(
                "portal:application_materials"
                if application.state == State.DRAFT
                else "portal:application_correction",
                application.ref,
            )
        elif "continue" not in request.POST:
            messages.success(request, _("草稿已保存。"))
            errors = {}
    elif request.GET.get("check"):
        errors = answers_validate(version=version, answers=application.answers or {})
    context = {
        "application": application,
        "errors": errors,
        **_form_context(application, errors, extra_member="add_member" in request.POST),
        **_steps(1),
    }
    return render(request, "portal/applications/step_form.html", context)


# ------------------------------------------------------- step 2: materials


@resident_required(verified=True)
def application_materials(request, ref: str):
    application = _own(request, ref)
    if not _editable(application):
        return redirect("portal:application_detail", application.ref)
    errors = {}
    if request.GET.get("check"):
        errors = app_services.completeness_errors(application)
        if not any(k.startswith("materials.") for k in errors):
            return redirect("portal:application_review", application.ref)
    return render(
        request,
        "portal/applications/step_materials.html",
        {
            "application": application,
            "slots": _slots_context(application, errors),
            **_steps(2),
        },
    )


def _upload_one(request, application, slot_key: str, file) -> str | None:
    """Accept one file and attach it; return the error message, if any."""
    from huji.materials.services import UploadRefused, upload_accept

    slot = application.slots.filter(slot_key=slot_key).first()
    if slot is None:
        raise Http404
    from huji.catalog.selectors import required_materials

    kind = next(
        (
            m.get("kind", "document")
            for m in required_materials(
                version=application.item_version, answers=application.answers or {}
            )
            if m["slot"] == slot_key
        ),
        "document",
    )
    try:
        upload = upload_accept(
            file=file,
            uploaded_by=request.user,
            material_kind=kind,
            slot_key=slot_key[:64],
        )
        app_services.application_material_add(
            application=application,
            slot_key=slot_key,
            upload=upload,
            actor=request.user,
        )
    except UploadRefused as exc:
        return _("“%(name)s”：%(error)s") % {
            "name": slot.name,
            "error": _refusal_text(exc),
        }
    except REFUSALS as exc:
        return _refusal_text(exc)
    return None


@require_POST
@resident_required(verified=True)
def application_material_upload(request, ref: str, slot_key: str):
    application = _own(request, ref)
    files = request.FILES.getlist("file")
    if not files:
        messages.error(request, _("请先拍照或选择要上传的文件。"))
    for file in files[:10]:
        error = _upload_one(request, application, slot_key, file)
        if error:
            messages.error(request, error)
            break
    else:
        if files:
            messages.success(request, _("已上传，请查看下方的清晰度检查结果。"))
    return redirect(_back_to_editing(application) + f"#slot-{slot_key}")


@require_POST
@resident_required(verified=True)
def application_material_remove(request, ref: str, page_id: int):
    application = _own(request, ref)
    page = (
        MaterialPage.objects.select_related("slot", "upload")
        .filter(pk=page_id, slot__application=application)
        .first()
    )
    if page is None:
        raise Http404
    slot_key = page.slot.slot_key
    try:
        app_services.application_material_remove(
            application=application, page=page, actor=request.user
        )
    except REFUSALS as exc:
        messages.error(request, _refusal_text(exc))
    else:
        messages.success(request, _("已删除这一页。"))
    return redirect(_back_to_editing(application) + f"#slot-{slot_key}")


# ----------------------------------------------------------- step 3: review


def _answer_rows(application) -> list[dict]:
    answers = application.answers or {}
    rows = []
    for spec in application.item_version.form_fields:
        value = answers.get(spec["name"])
        if spec.get("type") == FieldType.FAMILY_MEMBERS:
            continue
        rows.append(
            {"label": spec.get("label") or spec["name"], "value": _display(spec, value)}
        )
    return rows


def _display(spec: dict, value) -> str:
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, dict):
        return _address_text(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    choices = dict((str(k), str(v)) for k, v in spec.get("choices") or [])
    return choices.get(str(value), str(value))


def _address_text(value: dict) -> str:
    """An address answer with the district and street names instead of codes."""
    from huji.organizations.models import Division

    codes = [value.get("district"), value.get("street")]
    names = dict(
        Division.objects.filter(code__in=[c for c in codes if c]).values_list(
            "code", "name"
        )
    )
    parts = [names.get(c, c) for c in codes if c] + [value.get("detail") or ""]
    return "".join(p for p in parts if p)


def _member_rows(application) -> list[list[dict]]:
    spec = _family_spec(application.item_version)
    if spec is None:
        return []
    members = (application.answers or {}).get(spec["name"]) or []
    return [
        [
            {
                "label": sub.get("label") or sub["name"],
                "value": _display(sub, m.get(sub["name"])),
            }
            for sub in spec.get("fields") or []
        ]
        for m in members
        if isinstance(m, dict)
    ]


@resident_required(verified=True)
def application_review(request, ref: str):
    application = _own(request, ref)
    if application.state != State.DRAFT:
        return redirect("portal:application_detail", application.ref)
    errors = app_services.completeness_errors(application)
    if request.method == "POST":
        if not request.POST.get("confirm"):
            messages.error(request, _("请勾选“我承诺所填信息和所传材料真实有效”。"))
        else:
            try:
                app_services.application_submit(
                    application=application, actor=request.user
                )
            except REFUSALS as exc:
                messages.error(request, _refusal_text(exc))
                errors = app_services.completeness_errors(application)
            else:
                return redirect("portal:application_submitted", application.ref)
    return render(
        request,
        "portal/applications/step_review.html",
        {
            "application": application,
            "answer_rows": _answer_rows(application),
            "member_rows": _member_rows(application),
            "slots": _slots_context(application, errors),
            "errors": errors,
            "field_errors": {
                k: v for k, v in errors.items() if not k.startswith("materials.")
            },
            **_steps(3),
        },
    )


# ------------------------------------------------------ step 4: submitted


def _expected_dates(application, timeline) -> list[dict]:
    """The stages ahead with their expected dates: the running clock's due date,
    then later stages estimated from the catalog's working-day limits."""
    from huji.workdays.services import add_working_days

    limits = {
        **app_services.DEFAULT_LIMITS,
        **(application.item_version.time_limits or {}),
    }
    route = application.item_version.route
    stages = [("review", _("派出所审核"))]
    if route in ("station_district", "station_district_city"):
        stages.append(("district", _("区公安分局审批")))
    if route == "station_district_city":
        stages.append(("city", _("市公安局审批")))
    clocks = {s["stage"]: s for s in timeline.stages}
    rows, cursor = [], timezone.localdate()
    for key, label in stages:
        clock = clocks.get(key)
        if clock and clock["finished_at"]:
            rows.append(
                {
                    "label": label,
                    "date": timezone.localdate(clock["finished_at"]),
                    "done": True,
                }
            )
            cursor = timezone.localdate(clock["finished_at"])
            continue
        if clock and clock["due_on"]:
            due = clock["due_on"]
        else:
            due = add_working_days(cursor, int(limits.get(key) or 0)).date
        rows.append({"label": label, "date": due, "done": False})
        cursor = due
    rows.append(
        {
            "label": _("预审结果通知，预约窗口一次办结"),
            "date": application.visit_due_on,
            "done": application.state == State.COMPLETED,
        }
    )
    return rows


@resident_required(verified=True)
def application_submitted(request, ref: str):
    application = _own(request, ref)
    if application.state == State.DRAFT:
        return redirect("portal:application_review", application.ref)
    timeline = app_selectors.application_timeline(application=application)
    return render(
        request,
        "portal/applications/submitted.html",
        {
            "application": application,
            "timeline": timeline,
            "expected": _expected_dates(application, timeline),
            **_steps(4),
        },
    )


# ------------------------------------------------------------- list, detail


@resident_required(verified=True)
def application_list(request):
    applications = app_selectors.applications_for_resident(user=request.user)
    page = Paginator(applications, 20).get_page(request.GET.get("page"))
    return render(request, "portal/applications/list.html", {"page": page})


@resident_required(verified=True)
def application_detail(request, ref: str):
    application = _own(request, ref)
    timeline = app_selectors.application_timeline(application=application)
    correction = (
        application.corrections.filter(resolved_at__isnull=True).first()
        if application.state == State.CORRECTION_REQUESTED
        else None
    )
    return render(
        request,
        "portal/applications/detail.html",
        {
            "application": application,
            "timeline": timeline,
            "entries": list(reversed(timeline.entries)),
            "expected": _expected_dates(application, timeline)
            if application.state not in (State.DRAFT,) and not application.is_final
            else [],
            "correction": correction,
            "correction_lines": _correction_lines(correction),
            "booking": appt_services.booking_active(application=application),
            "can_withdraw": application.state
            in (
                State.DRAFT,
                State.SUBMITTED,
                State.UNDER_REVIEW,
                State.CORRECTION_REQUESTED,
                State.RESUBMITTED,
            ),
            "refusal_reasons": [
                app_services.reason_text(r) for r in application.refusal_reasons or []
            ],
        },
    )


def _correction_lines(correction) -> list[str]:
    if correction is None:
        return []
    return [app_services.correction_item_text(item) for item in correction.items]


# --------------------------------------------------------------- correction


@resident_required(verified=True)
def application_correction(request, ref: str):
    application = _own(request, ref)
    if application.state != State.CORRECTION_REQUESTED:
        return redirect("portal:application_detail", application.ref)
    correction = application.corrections.filter(resolved_at__isnull=True).first()
    items = correction.items if correction else []
    field_names = {i["field"] for i in items if i.get("field")}
    slot_keys = {i["slot"] for i in items if i.get("slot")}
    errors: dict = {}
    if request.method == "POST" and "save_fields" in request.POST:
        from huji.catalog.forms import build_form

        form = build_form(version=application.item_version, data=request.POST)
        specs = [
            s for s in application.item_version.form_fields if s["name"] in field_names
        ]
        answers = _read_fields(form, specs, request.POST)
        try:
            all_errors = app_services.application_answers_save(
                application=application, answers=answers, actor=request.user
            )
        except REFUSALS as exc:
            messages.error(request, _refusal_text(exc))
        else:
            application.refresh_from_db()
            errors = {
                k: v for k, v in all_errors.items() if k.split(".")[0] in field_names
            }
            if not errors:
                messages.success(request, _("已保存修改。"))
    elif request.method == "POST" and "resubmit" in request.POST:
        try:
            app_services.application_resubmit(
                application=application, actor=request.user
            )
        except REFUSALS as exc:
            messages.error(request, _refusal_text(exc))
            errors = app_services.completeness_errors(application)
        else:
            messages.success(request, _("补正已提交，请等待户籍民警重新审核。"))
            return redirect("portal:application_detail", application.ref)
    reasons = {}
    for item in items:
        key = item.get("slot") or item.get("field")
        reasons.setdefault(key, []).append(app_services.correction_item_text(item))
    slots = [
        s
        for s in _slots_context(application, errors)
        if s["slot"].slot_key in slot_keys
    ]
    for entry in slots:
        entry["reasons"] = reasons.get(entry["slot"].slot_key, [])
    form_context = _form_context(application, errors, only=field_names)
    for row in form_context["rows"]:
        row["reasons"] = reasons.get(row["field"].name, [])
    return render(
        request,
        "portal/applications/correction.html",
        {
            "application": application,
            "correction": correction,
            "slots": slots,
            "field_names": field_names,
            **form_context,
        },
    )


# --------------------------------------------------------------- withdraw


@resident_required(verified=True)
def application_withdraw(request, ref: str):
    application = _own(request, ref)
    if request.method == "POST":
        try:
            app_services.application_withdraw(
                application=application,
                actor=request.user,
                reason=request.POST.get("reason", "")[:200],
            )
        except REFUSALS as exc:
            messages.error(request, _refusal_text(exc))
        else:
            messages.success(request, _("申请已撤回。"))
        return redirect("portal:application_detail", application.ref)
    return render(
        request, "portal/applications/withdraw.html", {"application": application}
    )


# ------------------------------------------------------ pre-approval, visit


def _slot_days(slots: list[WindowSlot]) -> list[dict]:
    def day_of(slot):
        return timezone.localtime(slot.start).date()

    return [
        {"day": day, "slots": list(group)} for day, group in groupby(slots, key=day_of)
    ]


@resident_required(verified=True)
def application_visit(request, ref: str):
    application = _own(request, ref)
    if application.state not in (State.PRE_APPROVED, State.VISIT_BOOKED):
        return redirect("portal:application_detail", application.ref)
    booking = appt_services.booking_active(application=application)
    station = application.handling_organisation
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel" and booking is not None:
                appt_services.booking_cancel(booking=booking, actor=request.user)
                messages.success(request, _("预约已取消，请在办理期限内重新预约。"))
            elif action in ("book", "reschedule"):
                slot = WindowSlot.objects.filter(
                    pk=request.POST.get("slot") or 0, station=station
                ).first()
                if slot is None:
                    raise appt_services.BookingRefused(_("请选择一个预约时段。"))
                if booking is None:
                    appt_services.booking_create(
                        application=application, slot=slot, actor=request.user
                    )
                    messages.success(request, _("预约成功，我们会在前一天短信提醒您。"))
                else:
                    appt_services.booking_reschedule(
                        booking=booking, slot=slot, actor=request.user
                    )
                    messages.success(request, _("已改约。"))
        except REFUSALS as exc:
            messages.error(request, _refusal_text(exc))
        else:
            return redirect("portal:application_visit", application.ref)
    slots = appt_services.slots_available(station=station) if station else []
    if application.visit_due_on:
        slots = [
            s
            for s in slots
            if timezone.localtime(s.start).date() <= application.visit_due_on
        ]
    return render(
        request,
        "portal/applications/visit.html",
        {
            "application": application,
            "station": station,
            "originals": app_services.originals_to_bring(application),
            "booking": booking,
            "slot_days": _slot_days(slots),
            "changing": request.GET.get("change") == "1" or booking is None,
            "today": datetime.date.today(),
        },
    )


urlpatterns = [
    path("apply/<str:code>/", application_start, name="application_start"),
    path("applications/", application_list, name="applications"),
    path("applications/<str:ref>/", application_detail, name="application_detail"),
    path("applications/<str:ref>/form/", application_form, name="application_form"),
    path(
        "applications/<str:ref>/materials/",
        application_materials,
        name="application_materials",
    ),
    path(
        "applications/<str:ref>/materials/<str:slot_key>/upload/",
        application_material_upload,
        name="application_material_upload",
    ),
    path(
        "applications/<str:ref>/pages/<int:page_id>/remove/",
        application_material_remove,
        name="application_material_remove",
    ),
    path(
        "applications/<str:ref>/review/", application_review, name="application_review"
    ),
    path(
        "applications/<str:ref>/submitted/",
        application_submitted,
        name="application_submitted",
    ),
    path(
        "applications/<str:ref>/correction/",
        application_correction,
        name="application_correction",
    ),
    path(
        "applications/<str:ref>/withdraw/",
        application_withdraw,
        name="application_withdraw",
    ),
    path("applications/<str:ref>/visit/", application_visit, name="application_visit"),
]
