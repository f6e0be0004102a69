"""JSON API of household-registration applications (mounted at
``/api/v1/applications``).

Residents (``/mine…``, ``resident_auth``): create a draft, save answers, add or
remove material pages, submit, withdraw, resubmit, list, read, timeline.
Staff (``/queue``, ``/staff/{number}…``, ``/statistics``, ``staff_auth``): the
work queue and every officer/approver action. Handlers call the same services and
selectors as the pages; errors: 403 not allowed, 404 missing or out of scope, 409
not allowed in this state, 422 invalid input.
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from huji.accounts.api_auth import resident_auth, staff_auth
from huji.applications import selectors, services
from huji.applications.models import Application, MaterialPage
from huji.audit.services import audit_record
from huji.workflow.engine import TransitionRefused

router = Router(tags=["applications"])

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


# ------------------------------------------------------------------ schemas


class ErrorOut(Schema):
    detail: str
    code: str = ""
    errors: dict[str, list[str]] = {}


class PageOut(Schema):
    id: int
    upload: str
    order: int
    thumbnail: str
    verdict: dict


class SlotOut(Schema):
    slot_key: str
    name: str
    required: bool
    verdict: str
    verdict_label: str
    reason_code: str
    reason_text: str
    pages: list[PageOut]


class ApplicationSummaryOut(Schema):
    ref: str
    number: str | None
    item_code: str
    item_name: str
    state: str
    state_label: str
    handling_organisation: str
    submitted_at: datetime.datetime | None
    due_on: datetime.date | None
    deadline: str
    assigned_to: str = ""


class ApplicationOut(ApplicationSummaryOut):
    answers: dict
    slots: list[SlotOut]
    next_step: str
    visit_due_on: datetime.date | None
    refusal_reasons: list[str]
    policy_basis: str
    corrections: list[dict]
    allowed_actions: list[str] = []


class ApplicationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ApplicationSummaryOut]


class TimelineEntryOut(Schema):
    at: datetime.datetime
    action: str
    action_label: str
    from_state: str
    to_state: str
    to_label: str
    role: str
    role_label: str
    reason: str


class TimelineOut(Schema):
    state: str
    state_label: str
    next_step: str
    due_on: datetime.date | None
    visit_due_on: datetime.date | None
    entries: list[TimelineEntryOut]
    stages: list[dict]


class StartIn(Schema):
    item_code: str
    version: int | None = None


class AnswersIn(Schema):
    answers: dict


class AnswersOut(Schema):
    errors: dict[str, list[str]]


class ReasonIn(Schema):
    reason: str = ""


class NoteIn(Schema):
    note: str = ""


class VerdictIn(Schema):
    verdict: str
    reason_code: str = ""
    reason_text: str = ""


class ReturnIn(Schema):
    items: list[dict] = []
    note: str = ""


class SendBackIn(Schema):
    reason: str


class OutsideApprovalIn(Schema):
    authority: str
    document_number: str
    issued_on: datetime.date


class RefuseIn(Schema):
    reasons: list[str]
    policy_basis: str


class CompleteIn(Schema):
    originals_checked: list[str]
    issued: dict = {}


class WindowRefuseIn(Schema):
    reasons: list[str]


class RevealOut(Schema):
    id_number: str


# ------------------------------------------------------------------ helpers


def _errors(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        errors = {k: ValidationError(v).messages for k, v in exc.error_dict.items()}
        first = next(iter(errors.values()))[0]
        return {
            "detail": first,
            "code": getattr(exc, "code", None) or "invalid",
            "errors": errors,
        }
    return {
        "detail": exc.messages[0],
        "code": getattr(exc, "code", None) or "invalid",
        "errors": {},
    }


def _run(call: Callable, success_status: int = 200):
    """Run a service call and map its refusals to HTTP answers."""
    try:
        return Status(success_status, call())
    except services.ApplicationExists as exc:
        return Status(
            409,
            {
                "detail": exc.messages[0],
                "code": "exists",
                "errors": {"ref": [exc.application.ref]},
            },
        )
    except TransitionRefused as exc:
        return Status(409, {"detail": exc.message, "code": exc.code})
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc) or "forbidden", "code": "forbidden"})
    except ValidationError as exc:
        return Status(422, _errors(exc))


def _paginate(qs, limit: int, offset: int, serialise) -> dict:
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [serialise(obj) for obj in qs[offset : offset + limit]],
    }


def _summary(application: Application) -> dict:
    return {
        "ref": application.ref,
        "number": application.number,
        "item_code": application.item.code,
        "item_name": application.item_version.name,
        "state": application.state,
        "state_label": str(application.get_state_display()),
        "handling_organisation": application.handling_organisation.name
        if application.handling_organisation
        else "",
        "submitted_at": application.submitted_at,
        "due_on": application.due_on,
        "deadline": selectors.deadline_flag(application),
        "assigned_to": application.assigned_to.get_full_name()
        or application.assigned_to.username
        if application.assigned_to
        else "",
    }


def _page(page: MaterialPage) -> dict:
    upload = page.upload
    return {
        "id": page.pk,
        "upload": str(upload.public_id),
        "order": page.order,
        "thumbnail": f"/files/{upload.public_id}/thumb/",
        "verdict": upload.verdict or {},
    }


def _detail(application: Application, user=None) -> dict:
    slots = application.slots.prefetch_related("pages__upload")
    data = _summary(application)
    timeline_next = selectors.application_timeline(application=application)
    data.update(
        answers=application.answers,
        slots=[
            {
                "slot_key": s.slot_key,
                "name": s.name,
                "required": s.required,
                "verdict": s.verdict,
                "verdict_label": str(s.get_verdict_display()),
                "reason_code": s.reason_code,
                "reason_text": s.reason_text,
                "pages": [_page(p) for p in s.pages.all()],
            }
            for s in slots
        ],
        next_step=timeline_next.next_step,
        visit_due_on=application.visit_due_on,
        refusal_reasons=[services.reason_text(r) for r in application.refusal_reasons],
        policy_basis=application.policy_basis,
        corrections=[
            {
                "requested_at": c.requested_at.isoformat(),
                "items": [services.correction_item_text(i) for i in c.items],
                "note": c.note,
                "resolved": c.resolved_at is not None,
            }
            for c in application.corrections.all()[:5]
        ],
    )
    if user is not None and user.is_staff_member:
        data["allowed_actions"] = selectors.allowed_actions(
            application=application, user=user
        )
    return data


def _timeline(application: Application) -> dict:
    timeline = selectors.application_timeline(application=application)
    return {
        "state": timeline.state,
        "state_label": timeline.state_label,
        "next_step": timeline.next_step,
        "due_on": timeline.due_on,
        "visit_due_on": timeline.visit_due_on,
        "entries": [vars(e) for e in timeline.entries],
        "stages": [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in s.items()}
            for s in timeline.stages
        ],
    }


ERRORS = {403: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ------------------------------------------------------------------ resident


@router.get("/mine", auth=resident_auth, response=ApplicationPage)
def mine_list(request, limit: int = DEFAULT_LIMIT, offset: int = 0):
    qs = selectors.applications_for_resident(user=request.auth)
    return _paginate(qs, limit, offset, _summary)


@router.post("/mine", auth=resident_auth, response={201: ApplicationOut, **ERRORS})
def mine_start(request, payload: StartIn):
    from huji.catalog.models import ItemVersion
    from huji.catalog.selectors import item_version_get

    try:
        version = item_version_get(code=payload.item_code, number=payload.version)
    except ItemVersion.DoesNotExist:
        return Status(
            422,
            {
                "detail": "没有这个事项。",
                "code": "item",
                "errors": {"item_code": ["没有这个事项。"]},
            },
        )
    return _run(
        lambda: _detail(
            services.application_start(applicant=request.auth, version=version)
        ),
        201,
    )


@router.get("/mine/{ref}", auth=resident_auth, response=ApplicationOut)
def mine_get(request, ref: str):
    application = selectors.application_for_resident(user=request.auth, number=ref)
    return _detail(application)


@router.put(
    "/mine/{ref}/answers", auth=resident_auth, response={200: AnswersOut, **ERRORS}
)
def mine_answers(request, ref: str, payload: AnswersIn):
    application = selectors.application_for_resident(user=request.auth, number=ref)
    return _run(
        lambda: {
            "errors": services.application_answers_save(
                application=application, answers=payload.answers, actor=request.auth
            )
        }
    )


@router.post(
    "/mine/{ref}/materials/{slot_key}",
    auth=resident_auth,
    response={201: PageOut, **ERRORS},
)
def mine_material_add(request, ref: str, slot_key: str, file: File[UploadedFile]):
    from huji.materials.services import upload_accept

    application = selectors.application_for_resident(user=request.auth, number=ref)
    slot = application.slots.filter(slot_key=slot_key).first()
    kind = "document"
    if slot is not None:
        for material in services._required_materials(application):
            if material["slot"] == slot_key:
                kind = material.get("kind") or kind
                break

    def call():
        with transaction.atomic():
            upload = upload_accept(
                file=file,
                uploaded_by=request.auth,
                material_kind=kind,
                slot_key=slot_key,
            )
            return _page(
                services.application_material_add(
                    application=application,
                    slot_key=slot_key,
                    upload=upload,
                    actor=request.auth,
                )
            )

    try:
        return _run(call, 201)
    except Exception as exc:  # UploadRefused and friends from materials
        if exc.__class__.__name__ == "UploadRefused":
            return Status(
                422, {"detail": str(exc), "code": getattr(exc, "code", "upload")}
            )
        raise


@router.delete(
    "/mine/{ref}/pages/{page_id}", auth=resident_auth, response={204: None, **ERRORS}
)
def mine_material_remove(request, ref: str, page_id: int):
    application = selectors.application_for_resident(user=request.auth, number=ref)
    page = MaterialPage.objects.filter(
        pk=page_id, slot__application=application
    ).first()
    if page is None:
        from django.http import Http404

        raise Http404("page")
    return _run(
        lambda: services.application_material_remove(
            application=application, page=page, actor=request.auth
        ),
        204,
    )


@router.post(
    "/mine/{ref}/submit", auth=resident_auth, response={200: ApplicationOut, **ERRORS}
)
def mine_submit(request, ref: str):
    application = selectors.application_for_resident(user=request.auth, number=ref)
    return _run(
        lambda: _detail(
            services.application_submit(application=application, actor=request.auth)
        )
    )


@router.post(
    "/mine/{ref}/withdraw", auth=resident_auth, response={200: ApplicationOut, **ERRORS}
)
def mine_withdraw(request, ref: str, payload: ReasonIn):
    application = selectors.application_for_resident(user=request.auth, number=ref)
    return _run(
        lambda: _detail(
            services.application_withdraw(
                application=application, actor=request.auth, reason=payload.reason
            )
        )
    )


@router.post(
    "/mine/{ref}/resubmit", auth=resident_auth, response={200: ApplicationOut, **ERRORS}
)
def mine_resubmit(request, ref: str):
    application = selectors.application_for_resident(user=request.auth, number=ref)
    return _run(
        lambda: _detail(
            services.application_resubmit(application=application, actor=request.auth)
        )
    )


@router.get("/mine/{ref}/timeline", auth=resident_auth, response=TimelineOut)
def mine_timeline(request, ref: str):
    application = selectors.application_for_resident(user=request.auth, number=ref)
    return _timeline(application)


# -------------------------------------------------------------------- staff


@router.get("/queue", auth=staff_auth, response=ApplicationPage)
def queue(
    request,
    item: str = "",
    state: str = "",
    due: str = "",
    q: str = "",
    mine: bool = False,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = selectors.application_queue(
        user=request.auth,
        item=item or None,
        state=state or None,
        due=due or None,
        q=q or None,
        mine=mine,
    )
    return _paginate(qs, limit, offset, _summary)


def _staff_get(request, number: str) -> Application:
    return selectors.application_for_staff(
        user=request.auth, number=number, request=request
    )


@router.get("/staff/{number}", auth=staff_auth, response=ApplicationOut)
def staff_get(request, number: str):
    return _detail(_staff_get(request, number), request.auth)


@router.get("/staff/{number}/timeline", auth=staff_auth, response=TimelineOut)
def staff_timeline(request, number: str):
    return _timeline(_staff_get(request, number))


@router.post("/staff/{number}/reveal-id", auth=staff_auth, response=RevealOut)
def staff_reveal_id(request, number: str):
    """The applicant's full ID number (the reveal is audited)."""
    application = _staff_get(request, number)
    audit_record(
        actor=request.auth,
        action="read:id_number",
        obj=application,
        request=request,
    )
    return {"id_number": application.applicant_person.id_number or ""}


def _staff_action(request, number: str, call: Callable[[Application], object]):
    application = _staff_get(request, number)

    def run():
        call(application)
        application.refresh_from_db()
        return _detail(application, request.auth)

    return _run(run)


STAFF_RESPONSE = {200: ApplicationOut, **ERRORS}


@router.post("/staff/{number}/claim", auth=staff_auth, response=STAFF_RESPONSE)
def staff_claim(request, number: str):
    return _staff_action(
        request,
        number,
        lambda a: services.application_claim(application=a, officer=request.auth),
    )


@router.post("/staff/{number}/release", auth=staff_auth, response=STAFF_RESPONSE)
def staff_release(request, number: str):
    return _staff_action(
        request,
        number,
        lambda a: services.application_release(application=a, officer=request.auth),
    )


@router.post(
    "/staff/{number}/materials/{slot_key}/verdict",
    auth=staff_auth,
    response=STAFF_RESPONSE,
)
def staff_verdict(request, number: str, slot_key: str, payload: VerdictIn):
    return _staff_action(
        request,
        number,
        lambda a: services.material_verdict_set(
            application=a,
            slot_key=slot_key,
            verdict=payload.verdict,
            reason_code=payload.reason_code,
            reason_text=payload.reason_text,
            officer=request.auth,
        ),
    )


@router.post("/staff/{number}/return", auth=staff_auth, response=STAFF_RESPONSE)
def staff_return(request, number: str, payload: ReturnIn):
    return _staff_action(
        request,
        number,
        lambda a: services.application_return_for_correction(
            application=a,
            officer=request.auth,
            items=payload.items,
            note=payload.note,
        ),
    )


@router.post("/staff/{number}/forward", auth=staff_auth, response=STAFF_RESPONSE)
def staff_forward(request, number: str, payload: NoteIn):
    return _staff_action(
        request,
        number,
        lambda a: services.application_forward(
            application=a, officer=request.auth, note=payload.note
        ),
    )


@router.post("/staff/{number}/approve", auth=staff_auth, response=STAFF_RESPONSE)
def staff_approve(request, number: str, payload: NoteIn):
    return _staff_action(
        request,
        number,
        lambda a: services.application_approve(
            application=a, approver=request.auth, note=payload.note
        ),
    )


@router.post("/staff/{number}/send-back", auth=staff_auth, response=STAFF_RESPONSE)
def staff_send_back(request, number: str, payload: SendBackIn):
    return _staff_action(
        request,
        number,
        lambda a: services.application_send_back(
            application=a, approver=request.auth, reason=payload.reason
        ),
    )


@router.post(
    "/staff/{number}/outside-approval", auth=staff_auth, response=STAFF_RESPONSE
)
def staff_outside_approval(request, number: str, payload: OutsideApprovalIn):
    return _staff_action(
        request,
        number,
        lambda a: services.application_outside_approval_record(
            application=a,
            officer=request.auth,
            authority=payload.authority,
            document_number=payload.document_number,
            issued_on=payload.issued_on,
        ),
    )


@router.post("/staff/{number}/pre-approve", auth=staff_auth, response=STAFF_RESPONSE)
def staff_pre_approve(request, number: str, payload: NoteIn):
    return _staff_action(
        request,
        number,
        lambda a: services.application_pre_approve(
            application=a, officer=request.auth, note=payload.note
        ),
    )


@router.post("/staff/{number}/refuse", auth=staff_auth, response=STAFF_RESPONSE)
def staff_refuse(request, number: str, payload: RefuseIn):
    return _staff_action(
        request,
        number,
        lambda a: services.application_refuse(
            application=a,
            officer=request.auth,
            reasons=payload.reasons,
            policy_basis=payload.policy_basis,
        ),
    )


@router.post("/staff/{number}/complete", auth=staff_auth, response=STAFF_RESPONSE)
def staff_complete(request, number: str, payload: CompleteIn):
    return _staff_action(
        request,
        number,
        lambda a: services.application_complete(
            application=a,
            officer=request.auth,
            originals_checked=payload.originals_checked,
            issued=payload.issued,
        ),
    )


@router.post(
    "/staff/{number}/refuse-at-window", auth=staff_auth, response=STAFF_RESPONSE
)
def staff_refuse_at_window(request, number: str, payload: WindowRefuseIn):
    return _staff_action(
        request,
        number,
        lambda a: services.application_refuse_at_window(
            application=a, officer=request.auth, reasons=payload.reasons
        ),
    )


@router.get("/statistics", auth=staff_auth, response={200: dict, 403: ErrorOut})
def statistics(
    request, start: datetime.date | None = None, end: datetime.date | None = None
):
    """Counts for a period; for station heads, approvers, auditors and city staff."""
    from huji.applications.permissions import may_see_statistics

    if not may_see_statistics(request.auth):
        return Status(403, {"detail": "您无权查看统计。", "code": "forbidden"})
    end = end or timezone.localdate()
    start = start or end.replace(day=1)
    data = selectors.statistics(user=request.auth, start=start, end=end)
    data["start"], data["end"] = start.isoformat(), end.isoformat()
    return Status(200, data)
