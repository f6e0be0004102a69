"""Writes of household-registration applications. Pages, the API, tasks and the
appointments app all call these functions.

Every function is keyword-only and atomic, checks who may act, saves with
``update_fields``, moves the state only through ``huji.workflow.engine.transition``
(which writes the ``Transition`` and audit rows), and sends notifications after
commit. Errors: ``TransitionRefused`` (not allowed in this state / for this role),
``PermissionDenied`` (not yours / out of jurisdiction), ``ValidationError`` (input:
a dict of field name → Chinese messages).
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huji.accounts.constants import StaffRole
from huji.applications.constants import (
    APPROVAL_STATES,
    DEFAULT_LIMITS,
    FINAL_STATES,
    PROCESS,
    Action,
    RefusalReason,
    RejectionReason,
    Stage,
    State,
    SubjectRole,
    Verdict,
)
from huji.applications.models import (
    Application,
    ApplicationSubject,
    CorrectionRequest,
    DailySequence,
    MaterialPage,
    MaterialSlot,
)
from huji.audit.services import audit_record
from huji.organizations.permissions import can_access_organisation
from huji.workflow import clocks
from huji.workflow.engine import TransitionRefused, transition

logger = logging.getLogger(__name__)

EDITABLE_STATES = frozenset({State.DRAFT, State.CORRECTION_REQUESTED})
STATION_ROLES = frozenset({StaffRole.STATION_OFFICER, StaffRole.STATION_HEAD})
APPROVER_ROLES = frozenset({StaffRole.DISTRICT_APPROVER, StaffRole.CITY_APPROVER})
ROUTE_STATION = "station"
ROUTE_DISTRICT = "station_district"
ROUTE_CITY = "station_district_city"
ROUTE_OUTSIDE = "outside_approval"


class ApplicationExists(ValidationError):
    """The person already has an open application for this item."""

    def __init__(self, application: Application):
        super().__init__(_("您已有一件该事项的申请正在办理中。"), code="exists")
        self.application = application


# ------------------------------------------------------------------ helpers


def limits(application: Application) -> dict:
    """The item version's time limits, with defaults for missing keys."""
    return {**DEFAULT_LIMITS, **(application.item_version.time_limits or {})}


def _require_owner(application: Application, actor) -> None:
    if actor is None or actor.pk != application.applicant_id:
        raise PermissionDenied(_("这不是您的申请。"))


def _require_staff(application: Application, user, roles) -> None:
    if (
        user is None
        or not getattr(user, "is_staff_member", False)
        or user.role not in roles
        or not can_access_organisation(user, application.handling_organisation_id)
    ):
        raise PermissionDenied(_("您无权办理该申请。"))


def _require_holder(application: Application, officer) -> None:
    """Station work on a claimed file is for the officer holding it."""
    _require_staff(application, officer, STATION_ROLES)
    if application.assigned_to_id != officer.pk:
        raise TransitionRefused(_("该申请未由您认领，请先认领。"), code="not_holder")


def _lock(application: Application) -> Application:
    """Re-read the row under a lock; the caller's object gets its fields."""
    fresh = Application.objects.select_for_update().get(pk=application.pk)
    for field in (
        "state",
        "assigned_to_id",
        "reviewed_by_id",
        "due_on",
        "answers",
        "number",
        "handling_organisation_id",
    ):
        setattr(application, field, getattr(fresh, field))
    return application


def _notify(recipient, event: str, application: Application, *, sms=True, **extra):
    """Send a notification after commit (message box + SMS)."""
    if recipient is None:
        return
    context = {
        "application": application,
        "number": application.ref,
        "item_name": application.item_version.name,
        "station": application.handling_organisation,
        **extra,
    }
    link = f"/me/applications/{application.ref}/"
    if getattr(recipient, "is_staff_member", False):
        link = f"/staff/applications/{application.ref}/"

    def send():
        try:
            from huji.notifications.services import notification_send
        except ImportError:  # pragma: no cover - notifications not installed
            return
        notification_send(
            recipient=recipient, event=event, context=context, link=link, sms=sms
        )

    transaction.on_commit(send)


def _clock_start(application: Application, stage: str) -> None:
    clock = clocks.clock_start(
        process=PROCESS,
        record_id=application.pk,
        stage=stage,
        working_days=int(limits(application).get(stage) or 0),
    )
    application.due_on = clock.due_on


def _clock_finish(application: Application) -> None:
    for clock in clocks.clocks_open(process=PROCESS, record_id=application.pk):
        clocks.clock_finish(clock=clock)
    application.due_on = None


def _next_number(day: datetime.date) -> str:
    """``HJ`` + date + a six-digit sequence per day, from a locked counter row."""
    DailySequence.objects.get_or_create(day=day)
    row = DailySequence.objects.select_for_update().get(day=day)
    row.last += 1
    row.save(update_fields=["last"])
    return f"HJ{day:%Y%m%d}{row.last:06d}"


def _address_street(answers: dict, version) -> str:
    """The street code of the first address answer (the receiving address first)."""
    fields = [f for f in version.form_fields if f.get("type") == "address"]
    fields.sort(key=lambda f: 0 if f.get("name") == "destination_address" else 1)
    for field in fields:
        value = answers.get(field["name"])
        if isinstance(value, dict) and value.get("street"):
            return str(value["street"])
    return ""


def _station_resolve(application: Application):
    """The police station for the application: from its address, or the
    applicant's choice (``answers["station"]``, an organisation code)."""
    from huji.organizations import selectors as org_selectors

    street = _address_street(application.answers, application.item_version)
    if street:
        try:
            return org_selectors.jurisdiction_resolve(street_code=street).police_station
        except LookupError:
            pass
    chosen = application.answers.get("station")
    if chosen:
        try:
            return org_selectors.organisation_get(str(chosen))
        except LookupError:
            pass
    return None


def _family_members(application: Application) -> list[dict]:
    from huji.catalog.rules import family_field_name

    name = family_field_name(application.item_version.form_fields)
    members = application.answers.get(name) if name else None
    return [m for m in (members or []) if isinstance(m, dict)]


def _required_materials(application: Application) -> list[dict]:
    from huji.catalog.selectors import required_materials

    return required_materials(
        version=application.item_version, answers=application.answers
    )


def _slots_sync(application: Application) -> None:
    """Create the slots the answers now require; drop empty ones no longer needed."""
    wanted = {m["slot"]: m for m in _required_materials(application)}
    existing = {s.slot_key: s for s in application.slots.all()}
    for order, (key, material) in enumerate(wanted.items()):
        name = material.get("name", key)
        if material.get("member_name"):
            name = f"{name}（{material['member_name']}）"
        slot = existing.get(key)
        if slot is None:
            MaterialSlot.objects.create(
                application=application,
                slot_key=key,
                name=name[:200],
                required=bool(material.get("required", True)),
                member_index=material.get("member_index"),
                order=order,
            )
        elif (slot.name, slot.required, slot.order) != (
            name[:200],
            bool(material.get("required", True)),
            order,
        ):
            slot.name = name[:200]
            slot.required = bool(material.get("required", True))
            slot.order = order
            slot.save(update_fields=["name", "required", "order"])
    for key, slot in existing.items():
        if key in wanted:
            continue
        if slot.pages.exists():
            if slot.required:
                slot.required = False
                slot.save(update_fields=["required"])
        else:
            slot.delete()


def completeness_errors(application: Application) -> dict[str, list[str]]:
    """What stops the application from being submitted: form errors by field, and
    ``materials.<slot>`` for each required material without pages."""
    from huji.catalog.services import answers_validate

    errors = dict(
        answers_validate(version=application.item_version, answers=application.answers)
    )
    for slot in application.slots.all():
        if slot.required and not slot.pages.exists():
            errors[f"materials.{slot.slot_key}"] = [
                _("请上传“%(name)s”。") % {"name": slot.name}
            ]
    if not errors and _station_resolve(application) is None:
        errors["station"] = [_("无法确定受理派出所，请检查地址或选择派出所。")]
    return errors


def _subjects_build(application: Application) -> None:
    application.subjects.all().delete()
    rows = []
    answers = application.answers
    newborn_name = answers.get("newborn_name") or answers.get("child_name")
    if newborn_name:
        rows.append(
            ApplicationSubject(
                application=application,
                role=SubjectRole.NEWBORN,
                name=str(newborn_name)[:64],
                birth_date=_date_or_none(answers.get("newborn_birth_date")),
                sex=str(answers.get("newborn_sex") or "")[:8],
            )
        )
    for index, member in enumerate(_family_members(application)):
        rows.append(
            ApplicationSubject(
                application=application,
                role=SubjectRole.FAMILY_MEMBER,
                name=str(member.get("name") or "")[:64],
                id_number=str(member.get("id_number") or "")[:18],
                relation=str(member.get("relation") or "")[:16],
                birth_date=_date_or_none(member.get("birth_date")),
                details={"index": index},
                order=index + 1,
            )
        )
    ApplicationSubject.objects.bulk_create(rows)


def _date_or_none(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _all_required_accepted(application: Application) -> None:
    pending = [
        s.name
        for s in application.slots.all()
        if s.required and s.verdict != Verdict.ACCEPTED
    ]
    if pending:
        raise TransitionRefused(
            _("以下材料尚未审核为符合要求：%(names)s") % {"names": "、".join(pending)},
            code="materials",
        )


# ---------------------------------------------------------------- resident


@transaction.atomic
def application_start(*, applicant, version) -> Application:
    """A new draft for ``version`` (an ``ItemVersion``). A resident with a
    real-name person only; one open application per person and item
    (``ApplicationExists`` carries the open one)."""
    if not getattr(applicant, "is_resident", False) or applicant.person_id is None:
        raise PermissionDenied(_("请先完成实名认证再申请。"))
    if not version.online:
        raise ValidationError(_("该事项暂不支持网上办理。"), code="offline")
    existing = (
        Application.objects.filter(
            applicant_person_id=applicant.person_id, item_id=version.item_id
        )
        .exclude(state__in=FINAL_STATES)
        .first()
    )
    if existing is not None:
        raise ApplicationExists(existing)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                applicant=applicant,
                applicant_person_id=applicant.person_id,
                item_id=version.item_id,
                item_version=version,
                state=State.DRAFT,
            )
    except IntegrityError:
        existing = Application.objects.filter(
            applicant_person_id=applicant.person_id, item_id=version.item_id
        ).exclude(state__in=FINAL_STATES)
        raise ApplicationExists(existing.first()) from None
    _slots_sync(application)
    audit_record(actor=applicant, action="application:start", obj=application)
    return application


@transaction.atomic
def application_answers_save(
    *, application: Application, answers: dict, actor
) -> dict[str, list[str]]:
    """Merge ``answers`` into the draft and return the validation errors. What is
    given is saved even when invalid: a draft never loses input."""
    _require_owner(application, actor)
    _lock(application)
    if application.state not in EDITABLE_STATES:
        raise TransitionRefused(_("申请已提交，当前不能修改。"), code="state")
    from huji.catalog.services import answers_validate

    application.answers = {**(application.answers or {}), **(answers or {})}
    application.save(update_fields=["answers", "updated_at"])
    _slots_sync(application)
    audit_record(
        actor=actor,
        action="application:answers_save",
        obj=application,
        changes={"fields": sorted(answers or {})},
    )
    return answers_validate(
        version=application.item_version, answers=application.answers
    )


@transaction.atomic
def application_material_add(
    *, application: Application, slot_key: str, upload, actor
) -> MaterialPage:
    """Attach an upload (``materials.MaterialUpload`` the resident uploaded) as
    the next page of a material slot."""
    _require_owner(application, actor)
    _lock(application)
    if application.state not in EDITABLE_STATES:
        raise TransitionRefused(_("申请已提交，当前不能修改材料。"), code="state")
    slot = application.slots.filter(slot_key=slot_key).first()
    if slot is None:
        raise ValidationError({"slot_key": [_("该事项不需要这项材料。")]})
    if upload.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("只能使用您本人上传的文件。"))
    if MaterialPage.objects.filter(upload=upload).exists():
        raise ValidationError({"upload": [_("该文件已用于其他材料。")]})
    order = (slot.pages.aggregate(m=Max("order"))["m"] or 0) + 1
    page = MaterialPage.objects.create(slot=slot, upload=upload, order=order)
    if slot.verdict != Verdict.PENDING:
        slot.verdict = Verdict.PENDING
        slot.save(update_fields=["verdict"])
    audit_record(
        actor=actor,
        action="application:material_add",
        obj=application,
        changes={"slot": slot_key, "upload": str(upload.public_id)},
    )
    return page


@transaction.atomic
def application_material_remove(
    *, application: Application, page: MaterialPage, actor
) -> None:
    _require_owner(application, actor)
    _lock(application)
    if application.state not in EDITABLE_STATES:
        raise TransitionRefused(_("申请已提交，当前不能修改材料。"), code="state")
    if page.slot.application_id != application.pk:
        raise PermissionDenied(_("这不是您的申请材料。"))
    slot = page.slot
    upload = page.upload
    page.delete()
    if slot.verdict != Verdict.PENDING:
        slot.verdict = Verdict.PENDING
        slot.save(update_fields=["verdict"])
    try:
        from huji.materials.services import upload_delete

        upload_delete(upload=upload, actor=actor, editable=True)
    except (ImportError, PermissionDenied, ValidationError):
        pass
    audit_record(
        actor=actor,
        action="application:material_remove",
        obj=application,
        changes={"slot": slot.slot_key, "upload": str(upload.public_id)},
    )


def _claim_uploads(application: Application, actor) -> None:
    try:
        from huji.materials.services import upload_claim
    except ImportError:
        return
    pages = MaterialPage.objects.filter(
        slot__application=application, upload__claimed_at__isnull=True
    ).select_related("upload")
    for page in pages:
        upload_claim(
            upload=page.upload,
            organisation=application.handling_organisation,
            actor=actor,
        )


@transaction.atomic
def application_submit(*, application: Application, actor) -> Application:
    """Check completeness, give the number and the handling station, start the
    review clock and tell the applicant."""
    _require_owner(application, actor)
    _lock(application)
    if application.state != State.DRAFT:
        raise TransitionRefused(_("该申请已提交。"), code="state")
    _slots_sync(application)
    errors = completeness_errors(application)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    application.number = _next_number(timezone.localdate(now))
    application.handling_organisation = _station_resolve(application)
    application.submitted_at = now
    application.destination_collective = (
        application.answers.get("destination") == "community_public"
    )
    application.persons_count = 1 + len(_family_members(application))
    _subjects_build(application)
    transition(
        process=PROCESS,
        record=application,
        action=Action.SUBMIT,
        actor=actor,
        update_fields=[
            "number",
            "handling_organisation",
            "submitted_at",
            "destination_collective",
            "persons_count",
            "updated_at",
        ],
    )
    _claim_uploads(application, actor)
    _clock_start(application, Stage.REVIEW)
    application.save(update_fields=["due_on"])
    _notify(
        application.applicant,
        "application_submitted",
        application,
        due_on=application.due_on,
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor, reason: str = ""):
    _require_owner(application, actor)
    _lock(application)
    application.assigned_to = None
    transition(
        process=PROCESS,
        record=application,
        action=Action.WITHDRAW,
        actor=actor,
        reason=reason,
        update_fields=["assigned_to"],
    )
    _clock_finish(application)
    application.save(update_fields=["due_on"])
    return application


@transaction.atomic
def application_resubmit(*, application: Application, actor) -> Application:
    """Send the corrected application back to the station: the review clock
    restarts where it stopped."""
    _require_owner(application, actor)
    _lock(application)
    if application.state != State.CORRECTION_REQUESTED:
        raise TransitionRefused(_("当前不需要补正。"), code="state")
    _slots_sync(application)
    errors = completeness_errors(application)
    if errors:
        raise ValidationError(errors)
    application.persons_count = 1 + len(_family_members(application))
    application.destination_collective = (
        application.answers.get("destination") == "community_public"
    )
    _subjects_build(application)
    transition(
        process=PROCESS,
        record=application,
        action=Action.RESUBMIT,
        actor=actor,
        update_fields=["persons_count", "destination_collective"],
    )
    _claim_uploads(application, actor)
    CorrectionRequest.objects.filter(
        application=application, resolved_at__isnull=True
    ).update(resolved_at=timezone.now())
    clock = clocks.clock_current(process=PROCESS, record_id=application.pk)
    if clock is not None:
        clocks.clock_resume(clock=clock)
        application.due_on = clock.due_on
    else:
        _clock_start(application, Stage.REVIEW)
    application.save(update_fields=["due_on"])
    _notify(
        application.applicant,
        "application_resubmitted",
        application,
        sms=False,
        due_on=application.due_on,
    )
    return application


# ------------------------------------------------------------------ station


@transaction.atomic
def application_claim(*, application: Application, officer) -> Application:
    """Take a submitted file for review. Exclusive: the row is locked and only a
    file waiting in the queue can be claimed, so two officers never hold it."""
    _require_staff(application, officer, STATION_ROLES)
    _lock(application)
    if application.assigned_to_id and application.assigned_to_id != officer.pk:
        raise TransitionRefused(_("该申请已由其他民警认领。"), code="claimed")
    application.assigned_to = officer
    application.claimed_at = timezone.now()
    transition(
        process=PROCESS,
        record=application,
        action=Action.CLAIM,
        actor=officer,
        update_fields=["assigned_to", "claimed_at"],
    )
    return application


@transaction.atomic
def application_release(*, application: Application, officer) -> Application:
    """Put a claimed file back in the queue (its holder or the station head)."""
    _require_staff(application, officer, STATION_ROLES)
    _lock(application)
    if (
        application.assigned_to_id != officer.pk
        and officer.role != StaffRole.STATION_HEAD
    ):
        raise TransitionRefused(_("该申请未由您认领。"), code="not_holder")
    application.assigned_to = None
    application.claimed_at = None
    transition(
        process=PROCESS,
        record=application,
        action=Action.RELEASE,
        actor=officer,
        update_fields=["assigned_to", "claimed_at"],
    )
    return application


@transaction.atomic
def material_verdict_set(
    *,
    application: Application,
    slot_key: str,
    verdict: str,
    reason_code: str = "",
    reason_text: str = "",
    officer,
) -> MaterialSlot:
    """The officer's verdict on one material: accepted, or rejected with a reason
    from the list (plus free text; required for "other")."""
    _lock(application)
    _require_holder(application, officer)
    if application.state != State.UNDER_REVIEW:
        raise TransitionRefused(_("只能在审核中给出材料审核结论。"), code="state")
    slot = application.slots.filter(slot_key=slot_key).first()
    if slot is None:
        raise ValidationError({"slot_key": [_("没有这项材料。")]})
    if verdict not in Verdict.values or verdict == Verdict.PENDING:
        raise ValidationError({"verdict": [_("请选择符合或不符合。")]})
    if verdict == Verdict.REJECTED:
        if reason_code not in RejectionReason.values:
            raise ValidationError({"reason_code": [_("请选择不符合要求的原因。")]})
        if reason_code == RejectionReason.OTHER and not reason_text.strip():
            raise ValidationError({"reason_text": [_("请填写具体原因。")]})
    else:
        reason_code, reason_text = "", ""
    slot.verdict = verdict
    slot.reason_code = reason_code
    slot.reason_text = reason_text.strip()
    slot.reviewed_by = officer
    slot.reviewed_at = timezone.now()
    slot.save(
        update_fields=[
            "verdict",
            "reason_code",
            "reason_text",
            "reviewed_by",
            "reviewed_at",
        ]
    )
    audit_record(
        actor=officer,
        action="application:material_verdict",
        obj=application,
        reason=reason_text,
        changes={"slot": slot_key, "verdict": verdict, "reason_code": reason_code},
    )
    return slot


def _correction_items(application: Application, items: list[dict]) -> list[dict]:
    slots = {s.slot_key: s for s in application.slots.all()}
    field_names = {f["name"] for f in application.item_version.form_fields}
    cleaned = []
    for item in items or []:
        code = str(item.get("reason_code") or "")
        text = str(item.get("reason_text") or "").strip()
        entry = {"reason_code": code, "reason_text": text}
        if item.get("slot"):
            if item["slot"] not in slots:
                raise ValidationError({"items": [_("没有这项材料：%s") % item["slot"]]})
            entry["slot"] = item["slot"]
            entry["name"] = slots[item["slot"]].name
        elif item.get("field"):
            if item["field"].split(".")[0] not in field_names:
                raise ValidationError(
                    {"items": [_("没有这个栏目：%s") % item["field"]]}
                )
            entry["field"] = item["field"]
        else:
            raise ValidationError({"items": [_("请指明需要补正的材料或栏目。")]})
        if not code and not text:
            raise ValidationError({"items": [_("请为每一项补正说明原因。")]})
        cleaned.append(entry)
    # Every material the officer rejected is part of the request, whether or not
    # the officer also named fields or other materials: the resident must see it.
    listed = {entry.get("slot") for entry in cleaned}
    for slot in slots.values():
        if slot.verdict == Verdict.REJECTED and slot.slot_key not in listed:
            cleaned.append(
                {
                    "slot": slot.slot_key,
                    "name": slot.name,
                    "reason_code": slot.reason_code,
                    "reason_text": slot.reason_text,
                }
            )
    return cleaned


def correction_item_text(item: dict) -> str:
    """One line of a correction request for the resident."""
    what = item.get("name") or item.get("field") or item.get("slot") or ""
    reason = ""
    if item.get("reason_code") in RejectionReason.values:
        reason = str(RejectionReason(item["reason_code"]).label)
    if item.get("reason_text"):
        reason = f"{reason}：{item['reason_text']}" if reason else item["reason_text"]
    return f"{what}——{reason}" if reason else what


@transaction.atomic
def application_return_for_correction(
    *, application: Application, officer, items: list[dict], note: str = ""
) -> CorrectionRequest:
    """Return the file to the applicant (补正) with what to fix; the review clock
    stops until the resubmission."""
    _lock(application)
    _require_holder(application, officer)
    cleaned = _correction_items(application, items)
    if not cleaned:
        raise ValidationError({"items": [_("请至少指明一项需要补正的材料或栏目。")]})
    reason = note.strip() or "；".join(correction_item_text(i) for i in cleaned)
    application.assigned_to = None
    transition(
        process=PROCESS,
        record=application,
        action=Action.RETURN,
        actor=officer,
        reason=reason,
        details={"items": cleaned},
        update_fields=["assigned_to"],
    )
    correction = CorrectionRequest.objects.create(
        application=application, requested_by=officer, items=cleaned, note=note
    )
    clock = clocks.clock_current(process=PROCESS, record_id=application.pk)
    if clock is not None:
        clocks.clock_pause(clock=clock)
    application.due_on = None
    application.save(update_fields=["due_on"])
    _notify(
        application.applicant,
        "application_correction_requested",
        application,
        items=[correction_item_text(i) for i in cleaned],
        note=note,
    )
    return correction


@transaction.atomic
def application_forward(*, application: Application, officer, note: str = ""):
    """Send a reviewed file to the district branch when the item's route says so."""
    _lock(application)
    _require_holder(application, officer)
    if police_route(application) not in (ROUTE_DISTRICT, ROUTE_CITY):
        raise TransitionRefused(_("该事项由派出所审批，无需报送上级。"), code="route")
    _require_outside_document(application)
    _all_required_accepted(application)
    application.reviewed_by = officer
    application.assigned_to = None
    application.decision_note = note
    transition(
        process=PROCESS,
        record=application,
        action=Action.FORWARD,
        actor=officer,
        reason=note,
        update_fields=["reviewed_by", "assigned_to", "decision_note"],
    )
    _clock_start(application, Stage.DISTRICT)
    application.save(update_fields=["due_on"])
    _notify(
        application.applicant,
        "application_forwarded",
        application,
        sms=False,
        due_on=application.due_on,
    )
    return application


def _reviewer_ids(application: Application) -> set[int]:
    from huji.workflow.models import Transition

    ids = set(
        Transition.objects.filter(
            process=PROCESS.name,
            record_id=application.pk,
            actor_role__in=list(STATION_ROLES),
        ).values_list("actor_id", flat=True)
    )
    if application.reviewed_by_id:
        ids.add(application.reviewed_by_id)
    return ids


def _require_approver(application: Application, approver) -> None:
    role = {
        State.AWAITING_DISTRICT: StaffRole.DISTRICT_APPROVER,
        State.AWAITING_CITY: StaffRole.CITY_APPROVER,
    }.get(application.state)
    if role is None:
        raise TransitionRefused(_("该申请当前不在审批环节。"), code="state")
    _require_staff(application, approver, {role})
    if approver.pk in _reviewer_ids(application):
        raise TransitionRefused(
            _("审批人不能是审核该申请的民警本人。"), code="same_person"
        )


@transaction.atomic
def application_approve(*, application: Application, approver, note: str = ""):
    """District or city approval. On the three-level route the district's
    approval forwards to the city; the last level pre-approves."""
    _lock(application)
    _require_approver(application, approver)
    to_city = (
        application.state == State.AWAITING_DISTRICT
        and police_route(application) == ROUTE_CITY
    )
    if to_city:
        transition(
            process=PROCESS,
            record=application,
            action=Action.APPROVE_FORWARD,
            actor=approver,
            reason=note,
        )
        _clock_start(application, Stage.CITY)
        application.save(update_fields=["due_on"])
        return application
    application.decided_at = timezone.now()
    application.decision_note = note or application.decision_note
    transition(
        process=PROCESS,
        record=application,
        action=Action.APPROVE,
        actor=approver,
        reason=note,
        update_fields=["decided_at", "decision_note"],
    )
    _pre_approved(application)
    return application


@transaction.atomic
def application_send_back(*, application: Application, approver, reason: str):
    """Return the file to the reviewing officer for another look."""
    _lock(application)
    _require_approver(application, approver)
    application.assigned_to_id = application.reviewed_by_id
    transition(
        process=PROCESS,
        record=application,
        action=Action.SEND_BACK,
        actor=approver,
        reason=reason,
        update_fields=["assigned_to"],
    )
    _clock_start(application, Stage.REVIEW)
    application.save(update_fields=["due_on"])
    if application.assigned_to_id:
        _notify(
            application.assigned_to,
            "application_sent_back",
            application,
            sms=False,
            reason=reason,
        )
    return application


@transaction.atomic
def application_outside_approval_record(
    *,
    application: Application,
    officer,
    authority: str,
    document_number: str,
    issued_on: datetime.date,
):
    """Record the outside approval document (e.g. 市人保局's approval) that an
    ``outside_approval`` item needs before pre-approval."""
    _lock(application)
    _require_holder(application, officer)
    if application.state != State.UNDER_REVIEW:
        raise TransitionRefused(_("只能在审核中登记批准文件。"), code="state")
    errors = {}
    if not (authority or "").strip():
        errors["authority"] = [_("请填写批准部门。")]
    if not (document_number or "").strip():
        errors["document_number"] = [_("请填写批准文件文号。")]
    if not isinstance(issued_on, datetime.date):
        errors["issued_on"] = [_("请填写批准日期。")]
    elif issued_on > timezone.localdate():
        errors["issued_on"] = [_("批准日期不能晚于今天。")]
    if errors:
        raise ValidationError(errors)
    application.outside_authority = authority.strip()
    application.outside_document_number = document_number.strip()
    application.outside_issued_on = issued_on
    application.save(
        update_fields=[
            "outside_authority",
            "outside_document_number",
            "outside_issued_on",
        ]
    )
    audit_record(
        actor=officer,
        action="application:outside_approval",
        obj=application,
        changes={
            "authority": application.outside_authority,
            "document_number": application.outside_document_number,
            "issued_on": issued_on.isoformat(),
        },
    )
    return application


def originals_to_bring(application: Application) -> list[str]:
    """The originals the applicant must bring to the window (A8), one line per
    document to tick: the item's list of originals with a per-family-member
    material expanded to each member's slot ("…（钱丽）"), and without catalog
    materials that do not apply to these answers (e.g. the delivery records of a
    child born in Shanghai). Items that list no originals fall back to the
    materials uploaded."""
    listed = application.item_version.definition.get("originals") or []
    names = [
        (entry.get("name") if isinstance(entry, dict) else str(entry))
        for entry in listed
    ]
    slot_names = list(
        application.slots.filter(pages__isnull=False)
        .distinct()
        .order_by("order", "id")
        .values_list("name", flat=True)
    )
    if not any(names):
        return slot_names
    catalog_names = {
        m.get("name") for m in application.item_version.materials if m.get("name")
    }
    result: list[str] = []
    for name in filter(None, names):
        matching = [s for s in slot_names if s == name or s.startswith(name + "（")]
        if matching:
            result.extend(m for m in matching if m not in result)
        elif name not in catalog_names and name not in result:
            result.append(name)
    return result


def police_route(application: Application) -> str:
    """The route inside the police: for ``outside_approval`` items, the item's
    ``police_route`` (default: the station decides)."""
    version = application.item_version
    if version.route == ROUTE_OUTSIDE:
        return version.definition.get("police_route") or ROUTE_STATION
    return version.route


def _require_outside_document(application: Application) -> None:
    if (
        application.item_version.route == ROUTE_OUTSIDE
        and not application.outside_document_number
    ):
        raise TransitionRefused(
            _("请先登记主管部门的批准文件。"), code="outside_approval"
        )


def _pre_approved(application: Application) -> None:
    _clock_finish(application)
    days = int(limits(application).get("visit_valid_days") or 30)
    application.visit_due_on = timezone.localdate() + datetime.timedelta(days=days)
    application.save(update_fields=["due_on", "visit_due_on"])
    _notify(
        application.applicant,
        "application_pre_approved",
        application,
        originals=originals_to_bring(application),
        visit_due_on=application.visit_due_on,
    )


@transaction.atomic
def application_pre_approve(*, application: Application, officer, note: str = ""):
    """Pre-approval at the station (routes ``station`` and ``outside_approval``)."""
    _lock(application)
    _require_holder(application, officer)
    if police_route(application) in (ROUTE_DISTRICT, ROUTE_CITY):
        raise TransitionRefused(
            _("该事项须报区公安分局审批，请使用“报送上级审批”。"), code="route"
        )
    _require_outside_document(application)
    _all_required_accepted(application)
    application.reviewed_by = officer
    application.decided_at = timezone.now()
    application.decision_note = note
    transition(
        process=PROCESS,
        record=application,
        action=Action.PRE_APPROVE,
        actor=officer,
        reason=note,
        update_fields=["reviewed_by", "decided_at", "decision_note"],
    )
    _pre_approved(application)
    return application


@transaction.atomic
def application_refuse(
    *, application: Application, officer, reasons: list[str], policy_basis: str
):
    """Refuse the pre-approval with reasons (codes from ``RefusalReason`` or free
    text) and the policy basis. The station holder, or the approver at the
    approval levels."""
    _lock(application)
    if application.state in APPROVAL_STATES:
        _require_approver(application, officer)
    else:
        _require_holder(application, officer)
    reasons = [str(r).strip() for r in reasons or [] if str(r).strip()]
    errors = {}
    if not reasons:
        errors["reasons"] = [_("请至少选择或填写一条不予通过的理由。")]
    if not (policy_basis or "").strip():
        errors["policy_basis"] = [_("请填写政策依据。")]
    if errors:
        raise ValidationError(errors)
    texts = [reason_text(r) for r in reasons]
    application.refusal_reasons = reasons
    application.policy_basis = policy_basis.strip()
    application.decided_at = timezone.now()
    application.assigned_to = None
    transition(
        process=PROCESS,
        record=application,
        action=Action.REFUSE,
        actor=officer,
        reason="；".join(texts),
        details={"reasons": reasons, "policy_basis": application.policy_basis},
        update_fields=["refusal_reasons", "policy_basis", "decided_at", "assigned_to"],
    )
    _clock_finish(application)
    application.save(update_fields=["due_on"])
    _notify(
        application.applicant,
        "application_refused",
        application,
        reasons=texts,
        policy_basis=application.policy_basis,
    )
    return application


def reason_text(reason: str) -> str:
    if reason in RefusalReason.values:
        return str(RefusalReason(reason).label)
    return reason


# ------------------------------------------------------------------- window


@transaction.atomic
def application_visit_booked(*, application: Application, actor, booking_id):
    """Called by the appointments app when a window visit is booked."""
    _lock(application)
    if getattr(actor, "is_resident", False):
        _require_owner(application, actor)
    elif actor is not None:
        _require_staff(application, actor, STATION_ROLES)
    application.booking_id = str(booking_id)
    transition(
        process=PROCESS,
        record=application,
        action=Action.BOOK,
        actor=actor,
        details={"booking_id": str(booking_id)},
        update_fields=["booking_id"],
    )
    return application


@transaction.atomic
def application_visit_cancelled(*, application: Application, actor):
    _lock(application)
    if getattr(actor, "is_resident", False):
        _require_owner(application, actor)
    elif actor is not None:
        _require_staff(application, actor, STATION_ROLES)
    application.booking_id = ""
    transition(
        process=PROCESS,
        record=application,
        action=Action.CANCEL_VISIT,
        actor=actor,
        update_fields=["booking_id"],
    )
    return application


@transaction.atomic
def application_complete(
    *, application: Application, officer, originals_checked: list[str], issued: dict
):
    """The window visit: originals checked, the business done (办结)."""
    _lock(application)
    _require_staff(application, officer, STATION_ROLES)
    if not originals_checked:
        raise ValidationError({"originals_checked": [_("请勾选已核验的材料原件。")]})
    application.originals_checked = list(originals_checked)
    application.issued = dict(issued or {})
    application.completed_at = timezone.now()
    application.assigned_to = officer
    transition(
        process=PROCESS,
        record=application,
        action=Action.COMPLETE,
        actor=officer,
        details={"originals_checked": list(originals_checked)},
        update_fields=["originals_checked", "issued", "completed_at", "assigned_to"],
    )
    _notify(
        application.applicant,
        "application_completed",
        application,
        issued=application.issued,
    )
    return application


@transaction.atomic
def application_refuse_at_window(*, application: Application, officer, reasons):
    _lock(application)
    _require_staff(application, officer, STATION_ROLES)
    if isinstance(reasons, str):
        reasons = [reasons]
    reasons = [str(r).strip() for r in reasons or [] if str(r).strip()]
    if not reasons:
        raise ValidationError({"reasons": [_("请填写窗口核验不通过的理由。")]})
    texts = [reason_text(r) for r in reasons]
    application.refusal_reasons = reasons
    application.closed_at = timezone.now()
    transition(
        process=PROCESS,
        record=application,
        action=Action.REFUSE_AT_WINDOW,
        actor=officer,
        reason="；".join(texts),
        details={"reasons": reasons},
        update_fields=["refusal_reasons", "closed_at"],
    )
    _notify(
        application.applicant,
        "application_refused_at_window",
        application,
        reasons=texts,
    )
    return application


@transaction.atomic
def application_close_no_visit(*, application: Application) -> Application:
    """System: close a pre-approved application whose visit deadline passed."""
    _lock(application)
    if application.visit_due_on and application.visit_due_on >= timezone.localdate():
        raise TransitionRefused(_("尚未超过窗口办理期限。"), code="not_due")
    application.closed_at = timezone.now()
    transition(
        process=PROCESS,
        record=application,
        action=Action.EXPIRE,
        actor=None,
        update_fields=["closed_at"],
    )
    _notify(application.applicant, "application_closed_no_visit", application)
    return application


# ------------------------------------------------------------ periodic work


def _station_staff(organisation_id, role):
    from huji.accounts.models import User

    return User.objects.filter(
        organisation_id=organisation_id, role=role, is_active=True
    )


def _deadline_recipients(application: Application, stage: str):
    """Who is reminded of a stage's deadline: the holder, else those who work the
    stage (the station's officers, the branch's or the city's approvers)."""
    from huji.accounts.models import User

    if application.assigned_to_id:
        return [application.assigned_to]
    if stage == Stage.DISTRICT and application.handling_organisation:
        return list(
            User.objects.filter(
                organisation_id=application.handling_organisation.parent_id,
                role=StaffRole.DISTRICT_APPROVER,
                is_active=True,
            )
        )
    if stage == Stage.CITY:
        return list(User.objects.filter(role=StaffRole.CITY_APPROVER, is_active=True))
    return list(
        _station_staff(application.handling_organisation_id, StaffRole.STATION_OFFICER)
    )


@transaction.atomic
def deadlines_remind(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind whoever works a stage when its deadline is near, and escalate to the
    station head once it has passed. Idempotent: each clock is reminded and
    escalated at most once (``reminded_at`` / ``escalated_at``)."""
    from huji.applications.selectors import due_soon_limit
    from huji.workflow.models import StageClock

    today = today or timezone.localdate()
    now = timezone.now()
    result = {"reminded": 0, "escalated": 0}
    running = StageClock.objects.select_for_update(skip_locked=True).filter(
        process=PROCESS.name, finished_at__isnull=True, paused_on__isnull=True
    )
    near = running.filter(
        reminded_at__isnull=True, due_on__gte=today, due_on__lte=due_soon_limit(today)
    )
    late = running.filter(escalated_at__isnull=True, due_on__lt=today)
    apps = Application.objects.select_related(
        "item_version", "handling_organisation", "assigned_to"
    ).in_bulk([c.record_id for c in [*near, *late]])
    for clock in near:
        application = apps.get(clock.record_id)
        if application is None:
            continue
        for user in _deadline_recipients(application, clock.stage):
            _notify(user, "application_deadline_near", application, due_on=clock.due_on)
        clock.reminded_at = now
        clock.save(update_fields=["reminded_at"])
        result["reminded"] += 1
    for clock in late:
        application = apps.get(clock.record_id)
        if application is None:
            continue
        holder = application.assigned_to
        for head in _station_staff(
            application.handling_organisation_id, StaffRole.STATION_HEAD
        ):
            _notify(
                head,
                "application_escalated",
                application,
                due_on=clock.due_on,
                holder=(holder.get_full_name() or holder.username) if holder else "",
            )
        clock.escalated_at = now
        if clock.reminded_at is None:
            clock.reminded_at = now
        clock.save(update_fields=["escalated_at", "reminded_at"])
        audit_record(
            actor=None,
            action="application:escalate",
            obj=application,
            changes={"stage": clock.stage, "due_on": clock.due_on.isoformat()},
        )
        result["escalated"] += 1
    return result


def applications_close_expired(*, today: datetime.date | None = None) -> int:
    """Close pre-approved applications whose visit deadline has passed. Each in
    its own transaction, so one failure does not stop the others."""
    today = today or timezone.localdate()
    expired = Application.objects.filter(
        state__in=[State.PRE_APPROVED, State.VISIT_BOOKED], visit_due_on__lt=today
    ).select_related("item_version", "handling_organisation", "applicant")
    closed = 0
    for application in expired.iterator(chunk_size=200):
        try:
            application_close_no_visit(application=application)
        except TransitionRefused:
            continue
        closed += 1
    return closed


def due_dates_follow_clocks(*, clocks_changed) -> int:
    """Copy recomputed due dates of running household clocks onto their
    applications (the queue's index column)."""
    updated = 0
    for clock in clocks_changed:
        if clock.process != PROCESS.name or clock.paused_on or clock.finished_at:
            continue
        updated += Application.objects.filter(pk=clock.record_id).update(
            due_on=clock.due_on
        )
    return updated
