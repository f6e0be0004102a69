"""Staff pages of household applications: the work queue (the staff home page),
one application with the actions its state allows, and statistics. Every action
calls the same service as the JSON API."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from huji.accounts.constants import StaffRole
from huji.accounts.decorators import staff_required
from huji.applications import selectors, services
from huji.applications.constants import (
    RefusalReason,
    RejectionReason,
    State,
    Verdict,
)
from huji.applications.permissions import may_see_statistics
from huji.audit.services import audit_record
from huji.workflow.engine import TransitionRefused

RESIDENCE_ROLES = {
    StaffRole.CENTER_CLERK,
    StaffRole.CARD_PRODUCTION,
    StaffRole.POSTAL_COURIER,
}
PAGE_SIZE = 30
FILTERS = ("item", "state", "due", "q", "mine")


def _residence_home():
    try:
        return reverse("backoffice:residence_home")
    except NoReverseMatch:
        return None


@staff_required
def home(request):
    """The work queue: overdue and due soonest first; filters stay in the URL."""
    if request.user.role in RESIDENCE_ROLES:
        target = _residence_home()
        if target:
            return redirect(target)
    params = {key: request.GET.get(key, "").strip() for key in FILTERS}
    queue = selectors.application_queue(
        user=request.user,
        item=params["item"] or None,
        state=params["state"] or None,
        due=params["due"] or None,
        q=params["q"] or None,
        mine=params["mine"] == "1",
    ).select_related("applicant_person")
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [{"application": a, "flag": selectors.deadline_flag(a, today)} for a in page]
    counts = selectors.queue_counts(user=request.user)
    state_choices = [(s.value, s.label) for s in State if s != State.DRAFT]
    return render(
        request,
        "backoffice/applications/queue.html",
        {
            "page": page,
            "rows": rows,
            "params": params,
            "counts": counts,
            "state_counts": [
                (value, label, counts.get(value, 0))
                for value, label in state_choices
                if counts.get(value)
            ],
            "state_choices": state_choices,
            "items": _items(),
            "filters_query": urlencode({k: v for k, v in params.items() if v}),
            "may_see_statistics": may_see_statistics(request.user),
        },
    )


def _items():
    try:
        from huji.catalog.selectors import items_list
    except ImportError:
        return []
    return [(i.code, i.current_version.name) for i in items_list()]


def _display_value(field: dict, value, reveal: bool):
    kind = field.get("type")
    if value in (None, "", [], {}):
        return "—"
    if kind == "address" and isinstance(value, dict):
        return _address_text(value)
    if kind in ("choice",) and field.get("choices"):
        labels = {str(c[0]): c[1] for c in field["choices"]}
        return labels.get(str(value), value)
    if kind == "boolean":
        return _("是") if value in (True, "true", "on", "yes") else _("否")
    if kind == "id_number" and not reveal:
        return _mask(str(value))
    if kind == "family_members" and isinstance(value, list):
        people = []
        for member in value:
            if not isinstance(member, dict):
                continue
            text = member.get("name", "")
            if member.get("relation"):
                text += f"（{_relation_label(member['relation'])}）"
            if member.get("id_number"):
                number = str(member["id_number"])
                text += " " + (number if reveal else _mask(number))
            people.append(text)
        return "；".join(people)
    return value


def _relation_label(value: str) -> str:
    from huji.catalog.constants import RELATIONS

    return str(dict(RELATIONS).get(value, value))


def _address_text(value: dict) -> str:
    from huji.organizations.models import Division

    names = dict(
        Division.objects.filter(
            code__in=[value.get("district", ""), value.get("street", "")]
        ).values_list("code", "name")
    )
    return "".join(
        [
            names.get(value.get("district", ""), ""),
            names.get(value.get("street", ""), ""),
            str(value.get("detail", "")),
        ]
    )


def _mask(number: str) -> str:
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def _detail_context(request, application, *, reveal: bool = False) -> dict:
    version = application.item_version
    answers = [
        {
            "label": field.get("label") or field["name"],
            "value": _display_value(
                field, application.answers.get(field["name"]), reveal
            ),
        }
        for field in version.form_fields
    ]
    slots = list(application.slots.prefetch_related("pages__upload"))
    person = application.applicant_person
    return {
        "application": application,
        "version": version,
        "answers": answers,
        "slots": slots,
        # A material marked 不符合要求 makes 退回补正 the likely next step.
        "has_rejected": any(s.verdict == Verdict.REJECTED for s in slots),
        "person": person,
        "id_number": (person.id_number if reveal else person.masked_id_number),
        "revealed": reveal,
        "subjects": list(application.subjects.all()),
        "timeline": selectors.application_timeline(application=application),
        "actions": set(
            selectors.allowed_actions(application=application, user=request.user)
        ),
        "flag": selectors.deadline_flag(application),
        "rejection_reasons": RejectionReason.choices,
        "refusal_reasons": RefusalReason.choices,
        "verdicts": Verdict,
        "corrections": list(application.corrections.all()[:5]),
        "refusal_texts": [services.reason_text(r) for r in application.refusal_reasons],
        "originals": services.originals_to_bring(application),
        "policy_basis": version.policy_basis,
        "conditions": version.definition.get("conditions") or [],
        "today": timezone.localdate(),
    }


@staff_required
def detail(request, number: str):
    application = selectors.application_for_staff(
        user=request.user, number=number, request=request
    )
    return render(
        request,
        "backoffice/applications/detail.html",
        _detail_context(request, application),
    )


@staff_required
def reveal(request, number: str):
    """Show the full ID numbers of this application; the reveal is audited."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    application = selectors.application_for_staff(
        user=request.user, number=number, request=request
    )
    audit_record(
        actor=request.user, action="read:id_number", obj=application, request=request
    )
    return render(
        request,
        "backoffice/applications/detail.html",
        _detail_context(request, application, reveal=True),
    )


def _date(value: str):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _perform(request, application, action: str):
    """Call the service for ``action`` with the posted form."""
    post = request.POST
    user = request.user
    a = application
    if action == "claim":
        services.application_claim(application=a, officer=user)
        return _("已认领，请审核材料。")
    if action == "release":
        services.application_release(application=a, officer=user)
        return _("已退回待认领队列。")
    if action == "verdict":
        services.material_verdict_set(
            application=a,
            slot_key=post.get("slot_key", ""),
            verdict=post.get("verdict", ""),
            reason_code=post.get("reason_code", ""),
            reason_text=post.get("reason_text", ""),
            officer=user,
        )
        return _("材料审核结论已保存。")
    if action == "return":
        items = []
        for field in post.getlist("fields"):
            items.append(
                {
                    "field": field,
                    "reason_text": post.get(f"field_reason_{field}", "")
                    or _("请核对并修改"),
                }
            )
        services.application_return_for_correction(
            application=a, officer=user, items=items, note=post.get("note", "")
        )
        return _("已退回申请人补正，办理时限暂停。")
    if action == "forward":
        services.application_forward(
            application=a, officer=user, note=post.get("note", "")
        )
        return _("已报送上级审批。")
    if action == "approve":
        services.application_approve(
            application=a, approver=user, note=post.get("note", "")
        )
        return _("审批意见已提交。")
    if action == "send_back":
        services.application_send_back(
            application=a, approver=user, reason=post.get("reason", "")
        )
        return _("已退回派出所重审。")
    if action == "outside_approval":
        services.application_outside_approval_record(
            application=a,
            officer=user,
            authority=post.get("authority", ""),
            document_number=post.get("document_number", ""),
            issued_on=_date(post.get("issued_on", "")),
        )
        return _("批准文件已登记。")
    if action == "pre_approve":
        services.application_pre_approve(
            application=a, officer=user, note=post.get("note", "")
        )
        return _("预审通过，已通知申请人预约窗口。")
    if action == "refuse":
        reasons = post.getlist("reasons")
        if post.get("reason_other", "").strip():
            reasons.append(post["reason_other"].strip())
        services.application_refuse(
            application=a,
            officer=user,
            reasons=reasons,
            policy_basis=post.get("policy_basis", ""),
        )
        return _("已作出不予通过的决定，并通知申请人。")
    if action == "complete":
        services.application_complete(
            application=a,
            officer=user,
            originals_checked=post.getlist("originals"),
            issued={"note": post.get("issued_note", "")},
        )
        return _("业务已办结。")
    if action == "refuse_at_window":
        services.application_refuse_at_window(
            application=a, officer=user, reasons=[post.get("reason", "")]
        )
        return _("已记录窗口核验不通过。")
    raise PermissionDenied


ACTIONS = (
    "claim",
    "release",
    "verdict",
    "return",
    "forward",
    "approve",
    "send_back",
    "outside_approval",
    "pre_approve",
    "refuse",
    "complete",
    "refuse_at_window",
)


@staff_required
def act(request, number: str, action: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    application = selectors.application_for_staff(
        user=request.user, number=number, request=request
    )
    if action not in ACTIONS:
        raise PermissionDenied
    target = reverse("backoffice:application", args=[application.ref])
    try:
        done = _perform(request, application, action)
    except TransitionRefused as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您无权执行该操作。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
        if action in ("forward", "approve", "send_back", "refuse", "release"):
            return redirect("backoffice:home")
    anchor = "#slot-" + request.POST.get("slot_key") if action == "verdict" else ""
    return redirect(target + anchor)


@staff_required
def statistics(request):
    if not may_see_statistics(request.user):
        raise PermissionDenied
    end = _date(request.GET.get("end", "")) or timezone.localdate()
    start = _date(request.GET.get("start", "")) or end.replace(day=1)
    if start > end:
        start, end = end, start
    data = selectors.statistics(user=request.user, start=start, end=end)
    return render(request, "backoffice/applications/statistics.html", {"s": data})


urlpatterns = [
    path("", home, name="home"),
    path("applications/<str:number>/", detail, name="application"),
    path("applications/<str:number>/reveal/", reveal, name="application_reveal"),
    path("applications/<str:number>/do/<str:action>/", act, name="application_act"),
    path("statistics/", statistics, name="statistics"),
]
