"""Writes of residence services: registration, permit applications, counter
operations, card production and postal delivery.

Every function is keyword-only, atomic, checks the actor's role, moves the record
through ``huji.workflow.engine.transition`` (append-only history + audit) and
notifies after commit. Pages, the JSON API and commands all call these.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from huji.accounts.constants import StaffRole
from huji.accounts.idnumbers import parse_id_number
from huji.accounts.models import Person
from huji.audit.services import audit_record
from huji.certificates import services as certificates
from huji.certificates.constants import (
    ISSUING_AUTHORITY,
    CertificateKind,
    CertificateStatus,
)
from huji.organizations.models import Organisation
from huji.organizations.selectors import (
    UnknownCodeError,
    jurisdiction_resolve,
    organisation_get,
)
from huji.residence import rules
from huji.residence.constants import (
    BATCH_PROCESS,
    CARD_KINDS,
    CARD_PRODUCTION_CODE,
    CATALOG_PERMIT,
    CATALOG_REGISTRATION,
    CONFIRM_DAYS,
    DELIVERY_PROCESS,
    PERMIT_PROCESS,
    POSTAL_CODE,
    POSTAL_FEE_YUAN,
    PRODUCTION_DAYS,
    REGISTRATION_PROCESS,
    REVIEW_DAYS,
    Channel,
    DeliveryState,
    Handover,
    PermitApplicationKind,
    PermitApplicationState,
    PermitEventKind,
    PermitState,
    RegistrationKind,
    RegistrationState,
)
from huji.residence.models import (
    CardBatch,
    CashReconciliation,
    Delivery,
    Permit,
    PermitApplication,
    PermitEvent,
    ResidenceRegistration,
)
from huji.workdays.services import add_working_days
from huji.workflow import clocks
from huji.workflow.engine import transition


class ResidenceError(Exception):
    """A request the rules refuse; ``field`` names the form field at fault."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.message = str(message)
        self.field = field

    def __str__(self) -> str:
        return self.message


# ---------------------------------------------------------------- helpers


def today() -> datetime.date:
    return timezone.localdate()


def time_limit(code: str, key: str, default: int) -> int:
    """The item's working-day limit from the catalog, or the service promise."""
    try:
        from huji.catalog.selectors import item_version_get

        value = (item_version_get(code=code).time_limits or {}).get(key)
    except Exception:
        value = None
    return int(value) if value else default


def _require(actor, *roles) -> None:
    if (
        actor is None
        or not getattr(actor, "is_authenticated", False)
        or not getattr(actor, "is_staff_member", False)
        or actor.role not in roles
    ):
        raise PermissionDenied(_("您的岗位不能办理此业务。"))


def _require_self_or_clerk(actor, person: Person) -> None:
    if getattr(actor, "is_resident", False) and actor.person_id == person.pk:
        return
    _require(actor, StaffRole.CENTER_CLERK)


def _channel(actor) -> str:
    return (
        Channel.COUNTER if getattr(actor, "is_staff_member", False) else Channel.ONLINE
    )


def _notify(person: Person, event: str, context: dict, link: str = "") -> None:
    account = getattr(person, "account", None) if person else None
    if account is None:
        return
    from huji.notifications.services import notification_send

    def send():
        notification_send(recipient=account, event=event, context=context, link=link)

    transaction.on_commit(send)


def _org(code: str) -> Organisation:
    try:
        return organisation_get(code)
    except UnknownCodeError as exc:
        raise ResidenceError(_("机构 %(code)s 尚未配置。") % {"code": code}) from exc


def _set_number(obj, prefix: str) -> None:
    obj.number = f"{prefix}{timezone.localdate():%Y%m%d}{obj.pk:06d}"
    obj.save(update_fields=["number"])


def _date_cn(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


# ------------------------------------------------------ counter: identity


@transaction.atomic
def counter_person(*, id_number: str, name: str, actor, phone: str = "") -> Person:
    """The person a clerk serves, after checking their ID card at the counter.

    An unknown number creates the person (sex and birth date from the number); a
    known number must match the name on the card."""
    _require(actor, StaffRole.CENTER_CLERK)
    try:
        parsed = parse_id_number(id_number)
    except ValidationError as exc:
        raise ResidenceError(" ".join(exc.messages), field="id_number") from exc
    name = (name or "").strip()
    if not name:
        raise ResidenceError(_("请填写证件上的姓名。"), field="name")
    person = Person.objects.filter(id_number=parsed.number).first()
    if person is None:
        person = Person.objects.create(
            id_number=parsed.number,
            name=name,
            sex=parsed.sex,
            birth_date=parsed.birth_date,
            phone=phone,
        )
        audit_record(actor=actor, action="residence:person_create", obj=person)
    elif person.name != name:
        raise ResidenceError(
            _("姓名与该公民身份号码登记的姓名不一致，请核对证件。"), field="name"
        )
    audit_record(actor=actor, action="read:person_identity", obj=person)
    return person


# ------------------------------------------------- residence registration


@transaction.atomic
def registration_submit(
    *,
    person: Person,
    actor,
    street_code: str,
    address_detail: str,
    reason: str,
    housing_type: str,
    phone: str,
    employer: str = "",
    housing_proof: str = "",
    material_ids: list | tuple = (),
) -> ResidenceRegistration:
    """File a residence registration (or, with a confirmed one, its change).

    The address resolves to its center and police station; the center has
    ``confirm`` working days (2) to confirm it."""
    _require_self_or_clerk(actor, person)
    if ResidenceRegistration.objects.filter(
        person=person, state=RegistrationState.SUBMITTED
    ).exists():
        raise ResidenceError(_("您已有一份待确认的居住登记，请等待确认结果。"))
    try:
        place = jurisdiction_resolve(street_code=street_code)
    except LookupError as exc:
        raise ResidenceError(str(exc), field="address") from exc
    previous = (
        ResidenceRegistration.objects.filter(
            person=person, state=RegistrationState.CONFIRMED
        )
        .order_by("-registered_on", "-id")
        .first()
    )
    days = time_limit(CATALOG_REGISTRATION, "confirm", CONFIRM_DAYS)
    due = add_working_days(today(), days).date
    registration = ResidenceRegistration.objects.create(
        number=f"tmp-{timezone.now().timestamp()}-{person.pk}",
        kind=RegistrationKind.CHANGE if previous else RegistrationKind.NEW,
        channel=_channel(actor),
        person=person,
        submitted_by=actor,
        previous=previous,
        street=place.street,
        address=f"上海市{place.district.name}{place.street.name}{address_detail}",
        handling_organisation=place.center,
        police_station=place.police_station,
        reason=reason,
        employer=employer,
        housing_type=housing_type,
        housing_proof=housing_proof,
        phone=phone,
        material_ids=[str(m) for m in material_ids],
        due_on=due,
    )
    _set_number(registration, "DJ")
    _claim_materials(registration.material_ids, organisation=place.center, actor=actor)
    clocks.clock_start(
        process=REGISTRATION_PROCESS,
        record_id=registration.pk,
        stage="confirm",
        working_days=days,
    )
    audit_record(
        actor=actor,
        action="residence_registration:submit",
        obj=registration,
        changes={"center": place.center.code, "due_on": str(due)},
    )
    _notify(
        person,
        "residence_registration_submitted",
        {"registration": registration, "due": _date_cn(due)},
    )
    return registration


def _claim_materials(public_ids, *, organisation, actor) -> None:
    """Attach the resident's uploads to the record: the center may now open them."""
    if not public_ids:
        return
    from huji.materials.constants import Domain
    from huji.materials.selectors import uploads_by_public_ids
    from huji.materials.services import upload_claim

    uploads = uploads_by_public_ids(public_ids)
    if len(uploads) != len(set(map(str, public_ids))):
        raise ResidenceError(_("材料已失效，请重新上传。"), field="housing_photo")
    for upload in uploads.values():
        try:
            upload_claim(
                upload=upload,
                organisation=organisation,
                actor=actor,
                domain=Domain.RESIDENCE,
            )
        except (PermissionDenied, ValidationError) as exc:
            raise ResidenceError(
                _("材料已失效，请重新上传。"), field="housing_photo"
            ) from exc


def _registration_fields(registration: ResidenceRegistration) -> list:
    person = registration.person
    return [
        (_("姓名"), person.name),
        (_("性别"), person.get_sex_display()),
        (_("公民身份号码"), person.id_number or ""),
        (_("居住地址"), registration.address),
        (_("居住事由"), registration.get_reason_display()),
        (_("住所类型"), registration.get_housing_type_display()),
        (_("登记日期"), _date_cn(registration.registered_on)),
        (
            _("登记机构"),
            f"{registration.handling_organisation.name} · "
            f"{registration.police_station.name}",
        ),
    ]


@transaction.atomic
def registration_confirm(*, registration: ResidenceRegistration, actor):
    """A center clerk confirms: the registration takes effect and its certificate
    (《居住登记凭证》) is issued; an earlier registration is superseded."""
    _require(actor, StaffRole.CENTER_CLERK)
    registration.registered_on = today()
    registration.decided_at = timezone.now()
    registration.decided_by = actor
    transition(
        process=REGISTRATION_PROCESS,
        record=registration,
        action="confirm",
        actor=actor,
        update_fields=["registered_on", "decided_at", "decided_by"],
    )
    clock = clocks.clock_current(
        process=REGISTRATION_PROCESS, record_id=registration.pk
    )
    if clock:
        clocks.clock_finish(clock=clock)
    if registration.previous_id:
        previous = ResidenceRegistration.objects.get(pk=registration.previous_id)
        if previous.state == RegistrationState.CONFIRMED:
            transition(
                process=REGISTRATION_PROCESS,
                record=previous,
                action="supersede",
                actor=actor,
            )
            if previous.certificate_id:
                certificates.certificate_status_set(
                    certificate=previous.certificate,
                    status=CertificateStatus.REVOKED,
                    actor=actor,
                    reason=_("居住登记已变更"),
                )
    registration.certificate = certificates.certificate_issue(
        kind=CertificateKind.RESIDENCE_REGISTRATION,
        number=registration.number,
        person=registration.person,
        fields=_registration_fields(registration),
        issuer=str(ISSUING_AUTHORITY),
        actor=actor,
        valid_from=registration.registered_on,
        valid_until=rules.first_valid_until(registration.registered_on),
    )
    registration.save(update_fields=["certificate"])
    _notify(
        registration.person,
        "residence_registration_confirmed",
        {"registration": registration},
    )
    return registration


@transaction.atomic
def registration_refuse(*, registration: ResidenceRegistration, actor, reason: str):
    _require(actor, StaffRole.CENTER_CLERK)
    registration.refusal_reason = reason[:300]
    registration.decided_at = timezone.now()
    registration.decided_by = actor
    transition(
        process=REGISTRATION_PROCESS,
        record=registration,
        action="refuse",
        actor=actor,
        reason=reason,
        update_fields=["refusal_reason", "decided_at", "decided_by"],
    )
    clock = clocks.clock_current(
        process=REGISTRATION_PROCESS, record_id=registration.pk
    )
    if clock:
        clocks.clock_finish(clock=clock)
    _notify(
        registration.person,
        "residence_registration_refused",
        {"registration": registration, "reason": reason},
    )
    return registration


# ------------------------------------------------------ permit applications


def current_registration(person: Person) -> ResidenceRegistration | None:
    return (
        ResidenceRegistration.objects.filter(
            person=person, state=RegistrationState.CONFIRMED
        )
        .select_related("handling_organisation", "street")
        .order_by("-registered_on", "-id")
        .first()
    )


def first_registered_on(person: Person) -> datetime.date | None:
    """Continuous registration counts from the first confirmed registration; a
    change of address does not restart it."""
    first = (
        ResidenceRegistration.objects.filter(
            person=person,
            state__in=[RegistrationState.CONFIRMED, RegistrationState.SUPERSEDED],
        )
        .order_by("registered_on")
        .values_list("registered_on", flat=True)
        .first()
    )
    return first


def active_permit(person: Person, *, on: datetime.date | None = None):
    """The person's permit that is neither lost-replaced nor cancelled."""
    on = on or today()
    for permit in (
        Permit.objects.filter(person=person)
        .prefetch_related("events")
        .order_by("-issued_on", "-id")[:5]
    ):
        state, _valid = rules.permit_state(list(permit.events.all()), on)
        if state not in {PermitState.REPLACED, PermitState.CANCELLED}:
            return permit
    return None


def eligibility(
    *, person: Person, basis: str = "job", social_insurance_declared: bool = False
) -> rules.Eligibility:
    permit = active_permit(person)
    has_active = False
    if permit is not None:
        state, _v = rules.permit_state(list(permit.events.all()), today())
        has_active = state in {
            PermitState.VALID,
            PermitState.ENDORSEMENT_DUE,
            PermitState.LOST,
        } or (
            state == PermitState.EXPIRED
            and rules.endorsement_check(
                valid_until=permit.valid_until, today=today()
            ).allowed
        )
    return rules.permit_eligibility(
        registered_on=first_registered_on(person),
        today=today(),
        social_insurance_declared=social_insurance_declared,
        basis=basis,
        has_active_permit=has_active,
    )


@transaction.atomic
def permit_apply(
    *,
    person: Person,
    actor,
    basis: str,
    handover: str,
    social_insurance_declared: bool = False,
    pickup_center: Organisation | None = None,
    delivery_address: str = "",
    delivery_phone: str = "",
    material_ids: list | tuple = (),
) -> PermitApplication:
    """File a new residence permit application (居住证新办), online or at a
    counter. At a counter the clerk has checked the materials: it is accepted at
    once."""
    _require_self_or_clerk(actor, person)
    check = eligibility(
        person=person, basis=basis, social_insurance_declared=social_insurance_declared
    )
    if not check.ok:
        raise ResidenceError(" ".join(check.reasons), field="basis")
    registration = current_registration(person)
    if handover == Handover.POST:
        if not delivery_address.strip():
            raise ResidenceError(
                _("选择邮政专递时请填写投递地址。"), field="delivery_address"
            )
        if not delivery_phone.strip():
            raise ResidenceError(
                _("选择邮政专递时请填写预留电话，投递员将先电话联系。"),
                field="delivery_phone",
            )
    elif handover == Handover.COLLECT:
        pickup_center = pickup_center or registration.handling_organisation
        delivery_address = delivery_phone = ""
    else:
        raise ResidenceError(_("请选择领证方式。"), field="handover")
    if PermitApplication.objects.filter(
        person=person,
        kind__in=CARD_KINDS,
        state__in=[
            PermitApplicationState.SUBMITTED,
            PermitApplicationState.ACCEPTED,
            PermitApplicationState.CORRECTION,
            PermitApplicationState.IN_PRODUCTION,
        ],
    ).exists():
        raise ResidenceError(_("您已有一份正在办理的居住证申请。"))
    application = PermitApplication.objects.create(
        number=f"tmp-{timezone.now().timestamp()}-{person.pk}",
        kind=PermitApplicationKind.NEW,
        channel=_channel(actor),
        person=person,
        submitted_by=actor,
        registration=registration,
        basis=basis,
        social_insurance_declared=social_insurance_declared,
        handover=handover,
        pickup_center=pickup_center,
        delivery_address=delivery_address.strip(),
        delivery_phone=delivery_phone.strip(),
        material_ids=[str(m) for m in material_ids],
        handling_organisation=registration.handling_organisation,
    )
    _set_number(application, "JZ")
    audit_record(actor=actor, action="residence_permit:submit", obj=application)
    if getattr(actor, "is_staff_member", False):
        permit_accept(application=application, actor=actor)
    else:
        _notify(person, "permit_submitted", {"application": application})
    return application


@transaction.atomic
def permit_accept(*, application: PermitApplication, actor) -> PermitApplication:
    """Materials complete: the 6-working-day review starts; the resident is told
    and may see the result from 6 working days after this notice (B5)."""
    _require(actor, StaffRole.CENTER_CLERK)
    days = time_limit(CATALOG_PERMIT, "review", REVIEW_DAYS)
    application.accepted_on = today()
    result = add_working_days(application.accepted_on, days)
    application.review_due_on = result.date
    application.result_visible_on = result.date
    transition(
        process=PERMIT_PROCESS,
        record=application,
        action="accept",
        actor=actor,
        details={"review_due_on": str(result.date)},
        update_fields=["accepted_on", "review_due_on", "result_visible_on"],
    )
    clocks.clock_start(
        process=PERMIT_PROCESS,
        record_id=application.pk,
        stage="review",
        working_days=days,
    )
    _notify(
        application.person,
        "permit_accepted",
        {"application": application, "visible": _date_cn(result.date)},
    )
    return application


def _finish_clock(process, record_id: int) -> None:
    clock = clocks.clock_current(process=process, record_id=record_id)
    if clock:
        clocks.clock_finish(clock=clock)


@transaction.atomic
def permit_approve(*, application: PermitApplication, actor) -> PermitApplication:
    """Review passed: the card goes to production, 7 working days."""
    _require(actor, StaffRole.CENTER_CLERK, StaffRole.CITY_APPROVER)
    days = time_limit(CATALOG_PERMIT, "production", PRODUCTION_DAYS)
    application.approved_on = today()
    application.production_due_on = add_working_days(today(), days).date
    application.production_organisation = _org(CARD_PRODUCTION_CODE)
    transition(
        process=PERMIT_PROCESS,
        record=application,
        action="approve",
        actor=actor,
        details={"production_due_on": str(application.production_due_on)},
        update_fields=["approved_on", "production_due_on", "production_organisation"],
    )
    _finish_clock(PERMIT_PROCESS, application.pk)
    clocks.clock_start(
        process=PERMIT_PROCESS,
        record_id=application.pk,
        stage="production",
        working_days=days,
    )
    return application


@transaction.atomic
def permit_refuse(*, application: PermitApplication, actor, reason: str):
    _require(actor, StaffRole.CENTER_CLERK, StaffRole.CITY_APPROVER)
    application.decision_reason = reason[:300]
    application.completed_at = timezone.now()
    transition(
        process=PERMIT_PROCESS,
        record=application,
        action="refuse",
        actor=actor,
        reason=reason,
        update_fields=["decision_reason", "completed_at"],
    )
    _finish_clock(PERMIT_PROCESS, application.pk)
    _notify(
        application.person,
        "permit_refused",
        {"application": application, "reason": reason},
    )
    return application


@transaction.atomic
def permit_return(*, application: PermitApplication, actor, reason: str):
    """Back to the resident for corrections: the review clock stops."""
    _require(actor, StaffRole.CENTER_CLERK, StaffRole.CITY_APPROVER)
    transition(
        process=PERMIT_PROCESS,
        record=application,
        action="return",
        actor=actor,
        reason=reason,
    )
    clock = clocks.clock_current(process=PERMIT_PROCESS, record_id=application.pk)
    if clock:
        clocks.clock_pause(clock=clock)
    _notify(
        application.person,
        "permit_returned",
        {"application": application, "reason": reason},
    )
    return application


@transaction.atomic
def permit_resubmit(*, application: PermitApplication, actor, material_ids=()):
    _require_self_or_clerk(actor, application.person)
    if material_ids:
        application.material_ids = [*application.material_ids, *map(str, material_ids)]
    transition(
        process=PERMIT_PROCESS,
        record=application,
        action="resubmit",
        actor=actor,
        update_fields=["material_ids"],
    )
    clock = clocks.clock_current(process=PERMIT_PROCESS, record_id=application.pk)
    if clock:
        clock = clocks.clock_resume(clock=clock)
        application.review_due_on = clock.due_on
        application.save(update_fields=["review_due_on"])
    return application


@transaction.atomic
def permit_collect(*, application: PermitApplication, actor) -> PermitApplication:
    _require(actor, StaffRole.CENTER_CLERK)
    application.completed_at = timezone.now()
    transition(
        process=PERMIT_PROCESS,
        record=application,
        action="collect",
        actor=actor,
        update_fields=["completed_at"],
    )
    return application


# ------------------------------------------------------- counter operations


def _counter_record(*, permit: Permit, kind: str, actor, details: dict):
    """The application record of a counter operation, completed at once."""
    application = PermitApplication.objects.create(
        number=f"tmp-{timezone.now().timestamp()}-{permit.pk}-{kind}",
        kind=kind,
        channel=_channel(actor),
        person=permit.person,
        submitted_by=actor,
        permit=permit,
        details=details,
        handling_organisation=actor.organisation,
    )
    _set_number(application, "JZ")
    application.completed_at = timezone.now()
    transition(
        process=PERMIT_PROCESS,
        record=application,
        action="complete",
        actor=actor,
        details={"kind": kind, **details},
        update_fields=["completed_at"],
    )
    return application


def _event(permit, kind, *, application, actor, valid_until=None, details=None):
    return PermitEvent.objects.create(
        permit=permit,
        kind=kind,
        on=today(),
        valid_until=valid_until,
        application=application,
        actor=actor,
        details=details or {},
    )


def permit_state_of(permit: Permit, on: datetime.date | None = None):
    return rules.permit_state(list(permit.events.all()), on or today())


def _lock(permit: Permit) -> Permit:
    return (
        Permit.objects.select_for_update(of=("self",))
        .select_related("certificate")
        .get(pk=permit.pk)
    )


@transaction.atomic
def permit_endorse(*, permit: Permit, actor) -> PermitApplication:
    """签注 (Art. 16): within 30 days before the year ends, or within 60 days'
    grace after (functions restored from today); the year runs on from the old
    end date."""
    _require(actor, StaffRole.CENTER_CLERK)
    permit = _lock(permit)
    state, _v = permit_state_of(permit)
    if state in {PermitState.LOST, PermitState.REPLACED, PermitState.CANCELLED}:
        raise ResidenceError(
            _("此居住证当前状态为“%(state)s”，不能签注。")
            % {"state": PermitState(state).label}
        )
    check = rules.endorsement_check(valid_until=permit.valid_until, today=today())
    if not check.allowed:
        raise ResidenceError(check.message)
    application = _counter_record(
        permit=permit,
        kind=PermitApplicationKind.ENDORSE,
        actor=actor,
        details={"late": check.late, "valid_until": str(check.new_valid_until)},
    )
    _event(
        permit,
        PermitEventKind.ENDORSED,
        application=application,
        actor=actor,
        valid_until=check.new_valid_until,
        details={"late": check.late},
    )
    permit.valid_until = check.new_valid_until
    permit.save(update_fields=["valid_until"])
    if permit.certificate_id:
        certificates.certificate_validity_set(
            certificate=permit.certificate,
            valid_until=check.new_valid_until,
            actor=actor,
        )
    _notify(
        permit.person,
        "permit_endorsed",
        {"permit": permit, "valid_until": _date_cn(check.new_valid_until)},
    )
    return application


@transaction.atomic
def permit_change(
    *,
    permit: Permit,
    actor,
    changed_on: datetime.date,
    address: str = "",
    employer: str = "",
) -> PermitApplication:
    """信息变更 (Art. 15): address or employer, to be reported within 30 days."""
    _require(actor, StaffRole.CENTER_CLERK)
    permit = _lock(permit)
    state, _v = permit_state_of(permit)
    if state in {PermitState.REPLACED, PermitState.CANCELLED}:
        raise ResidenceError(_("此居住证已失效，不能变更信息。"))
    if changed_on > today():
        raise ResidenceError(_("变更日期不能晚于今天。"), field="changed_on")
    if not (address.strip() or employer.strip()):
        raise ResidenceError(_("请填写变更后的居住地址或工作单位。"), field="address")
    changes = {}
    if address.strip():
        changes["address"] = [permit.address, address.strip()]
        permit.address = address.strip()
    if employer.strip():
        changes["employer"] = [permit.employer, employer.strip()]
        permit.employer = employer.strip()
    timely = rules.change_is_timely(changed_on=changed_on, today=today())
    details = {"changed_on": str(changed_on), "timely": timely, **changes}
    application = _counter_record(
        permit=permit, kind=PermitApplicationKind.CHANGE, actor=actor, details=details
    )
    _event(
        permit,
        PermitEventKind.CHANGED,
        application=application,
        actor=actor,
        details=details,
    )
    permit.save(update_fields=["address", "employer"])
    return application


@transaction.atomic
def permit_report_loss(*, permit: Permit, actor, reason: str = "") -> PermitApplication:
    """挂失 (Art. 17): the card is invalid at once; verification says so."""
    _require(actor, StaffRole.CENTER_CLERK)
    permit = _lock(permit)
    state, _v = permit_state_of(permit)
    if state in {PermitState.LOST, PermitState.REPLACED, PermitState.CANCELLED}:
        raise ResidenceError(
            _("此居住证当前状态为“%(state)s”，不能挂失。")
            % {"state": PermitState(state).label}
        )
    application = _counter_record(
        permit=permit,
        kind=PermitApplicationKind.LOSS,
        actor=actor,
        details={"reason": reason},
    )
    _event(permit, PermitEventKind.LOST, application=application, actor=actor)
    if permit.certificate_id:
        certificates.certificate_status_set(
            certificate=permit.certificate,
            status=CertificateStatus.LOST,
            actor=actor,
            reason=reason or _("持证人挂失"),
        )
    _notify(permit.person, "permit_lost", {"permit": permit})
    return application


@transaction.atomic
def permit_cancel_loss(*, permit: Permit, actor) -> PermitApplication:
    """解挂: the card was found before a replacement was issued."""
    _require(actor, StaffRole.CENTER_CLERK)
    permit = _lock(permit)
    state, _v = permit_state_of(permit)
    if state != PermitState.LOST:
        raise ResidenceError(_("此居住证未挂失，无需解挂。"))
    if (
        PermitApplication.objects.filter(
            permit=permit, kind=PermitApplicationKind.REISSUE
        )
        .exclude(state__in=[PermitApplicationState.REFUSED])
        .exists()
    ):
        raise ResidenceError(_("已申请补办，不能再解除挂失。"))
    application = _counter_record(
        permit=permit, kind=PermitApplicationKind.UNLOSS, actor=actor, details={}
    )
    _event(permit, PermitEventKind.UNLOST, application=application, actor=actor)
    if permit.certificate_id:
        certificates.certificate_status_set(
            certificate=permit.certificate,
            status=CertificateStatus.VALID,
            actor=actor,
            reason=_("解除挂失"),
        )
    return application


@transaction.atomic
def permit_reissue(
    *,
    permit: Permit,
    actor,
    handover: str = Handover.COLLECT,
    delivery_address: str = "",
    delivery_phone: str = "",
) -> PermitApplication:
    """补办: a lost (or damaged) card is replaced; the old one is void when the
    new one is made. Goes straight to production (no new eligibility review)."""
    _require(actor, StaffRole.CENTER_CLERK)
    permit = _lock(permit)
    state, _v = permit_state_of(permit)
    if state in {PermitState.REPLACED, PermitState.CANCELLED}:
        raise ResidenceError(_("此居住证已失效，请新办。"))
    if (
        state == PermitState.EXPIRED
        and not rules.endorsement_check(
            valid_until=permit.valid_until, today=today()
        ).allowed
    ):
        raise ResidenceError(_("此居住证已逾期超过60日，请重新申办。"))
    if handover == Handover.POST and not (delivery_address and delivery_phone):
        raise ResidenceError(
            _("邮政专递须填写投递地址和预留电话。"), field="delivery_address"
        )
    application = PermitApplication.objects.create(
        number=f"tmp-{timezone.now().timestamp()}-{permit.pk}-reissue",
        kind=PermitApplicationKind.REISSUE,
        channel=_channel(actor),
        person=permit.person,
        submitted_by=actor,
        permit=permit,
        registration=current_registration(permit.person),
        handover=handover,
        pickup_center=actor.organisation if handover == Handover.COLLECT else None,
        delivery_address=delivery_address if handover == Handover.POST else "",
        delivery_phone=delivery_phone if handover == Handover.POST else "",
        handling_organisation=actor.organisation,
    )
    _set_number(application, "JZ")
    audit_record(actor=actor, action="residence_permit:reissue", obj=application)
    permit_accept(application=application, actor=actor)
    permit_approve(application=application, actor=actor)
    return application


# ------------------------------------------------------------ production


@transaction.atomic
def batch_create(*, actor, limit: int = 50) -> CardBatch:
    """Put the approved applications waiting longest (earliest due) in a batch."""
    _require(actor, StaffRole.CARD_PRODUCTION)
    waiting = list(
        PermitApplication.objects.select_for_update(skip_locked=True)
        .filter(
            production_organisation_id=actor.organisation_id,
            state=PermitApplicationState.IN_PRODUCTION,
            batch__isnull=True,
        )
        .order_by("production_due_on", "id")[: max(1, min(limit, 500))]
    )
    if not waiting:
        raise ResidenceError(_("没有待制证的申请。"))
    batch = CardBatch.objects.create(
        number=f"tmp-{timezone.now().timestamp()}",
        organisation_id=actor.organisation_id,
        created_by=actor,
        due_on=min(a.production_due_on for a in waiting),
    )
    _set_number(batch, "PC")
    PermitApplication.objects.filter(pk__in=[a.pk for a in waiting]).update(batch=batch)
    audit_record(
        actor=actor,
        action="card_batch:create",
        obj=batch,
        changes={"applications": [a.number for a in waiting]},
    )
    return batch


def _permit_fields(permit: Permit) -> list:
    person = permit.person
    return [
        (_("姓名"), person.name),
        (_("性别"), person.get_sex_display()),
        (_("公民身份号码"), person.id_number or ""),
        (_("居住地址"), permit.address),
        (_("卡号"), permit.card_number),
        (_("签发日期"), _date_cn(permit.issued_on)),
        (_("居住年限起算"), _date_cn(permit.residence_since)),
        (_("签发机关"), str(ISSUING_AUTHORITY)),
    ]


def _make_card(application: PermitApplication, actor) -> Permit:
    """Number, issue date and validity of one card (idempotent per application)."""
    existing = Permit.objects.filter(application=application).first()
    if existing:
        return existing
    issued = today()
    old = (
        application.permit
        if application.kind == PermitApplicationKind.REISSUE
        else None
    )
    registration = application.registration
    permit = Permit.objects.create(
        card_number=f"tmp-{application.pk}",
        person=application.person,
        application=application,
        issued_on=issued,
        valid_until=old.valid_until if old else rules.first_valid_until(issued),
        residence_since=(
            old.residence_since
            if old
            else (first_registered_on(application.person) or issued)
        ),
        address=old.address if old else (registration.address if registration else ""),
        employer=old.employer
        if old
        else (registration.employer if registration else ""),
    )
    permit.card_number = f"31{issued:%Y}{permit.pk:010d}"
    permit.save(update_fields=["card_number"])
    _event(
        permit,
        PermitEventKind.ISSUED,
        application=application,
        actor=actor,
        valid_until=permit.valid_until,
    )
    permit.certificate = certificates.certificate_issue(
        kind=CertificateKind.RESIDENCE_PERMIT,
        number=permit.card_number,
        person=permit.person,
        fields=_permit_fields(permit),
        issuer=str(ISSUING_AUTHORITY),
        actor=actor,
        valid_from=issued,
        valid_until=permit.valid_until,
    )
    permit.save(update_fields=["certificate"])
    return permit


@transaction.atomic
def batch_print(*, batch: CardBatch, actor) -> CardBatch:
    """Print: every card in the batch gets its number, issue date and validity."""
    _require(actor, StaffRole.CARD_PRODUCTION)
    _own_batch(batch, actor)
    batch.printed_at = timezone.now()
    transition(
        process=BATCH_PROCESS,
        record=batch,
        action="print",
        actor=actor,
        update_fields=["printed_at"],
    )
    for application in batch.applications.select_related(
        "person", "registration", "permit"
    ):
        _make_card(application, actor)
    return batch


@transaction.atomic
def batch_check(*, batch: CardBatch, actor) -> CardBatch:
    _require(actor, StaffRole.CARD_PRODUCTION)
    _own_batch(batch, actor)
    batch.checked_at = timezone.now()
    transition(
        process=BATCH_PROCESS,
        record=batch,
        action="check",
        actor=actor,
        update_fields=["checked_at"],
    )
    return batch


def _own_batch(batch: CardBatch, actor) -> None:
    if batch.organisation_id != actor.organisation_id:
        raise PermissionDenied(_("不是本机构的制证批次。"))


@transaction.atomic
def batch_dispatch(*, batch: CardBatch, actor) -> CardBatch:
    """Cards leave production: by post (a delivery for the courier) or to the
    chosen center for collection. The 7-working-day production clock stops."""
    _require(actor, StaffRole.CARD_PRODUCTION)
    _own_batch(batch, actor)
    batch.dispatched_at = timezone.now()
    transition(
        process=BATCH_PROCESS,
        record=batch,
        action="dispatch",
        actor=actor,
        update_fields=["dispatched_at"],
    )
    postal = None
    for application in batch.applications.select_related("person", "pickup_center"):
        transition(
            process=PERMIT_PROCESS, record=application, action="produce", actor=actor
        )
        _finish_clock(PERMIT_PROCESS, application.pk)
        if application.kind == PermitApplicationKind.REISSUE and application.permit_id:
            _replace_old(application, actor)
        if application.handover == Handover.POST:
            postal = postal or _org(POSTAL_CODE)
            transition(
                process=PERMIT_PROCESS,
                record=application,
                action="dispatch",
                actor=actor,
            )
            Delivery.objects.create(
                application=application,
                organisation=postal,
                recipient_name=application.person.name,
                address=application.delivery_address,
                phone=application.delivery_phone,
                fee_yuan=POSTAL_FEE_YUAN,
                due_on=add_working_days(today(), 3).date,
            )
            _notify(
                application.person,
                "permit_out_for_delivery",
                {"application": application, "fee": POSTAL_FEE_YUAN},
            )
        else:
            transition(
                process=PERMIT_PROCESS,
                record=application,
                action="to_center",
                actor=actor,
            )
            _notify(
                application.person,
                "permit_ready_for_pickup",
                {"application": application},
            )
    return batch


def _replace_old(application: PermitApplication, actor) -> None:
    old = _lock(application.permit)
    state, _v = permit_state_of(old)
    if state == PermitState.REPLACED:
        return
    _event(old, PermitEventKind.REPLACED, application=application, actor=actor)
    if old.certificate_id:
        certificates.certificate_status_set(
            certificate=old.certificate,
            status=CertificateStatus.REVOKED,
            actor=actor,
            reason=_("已补办新证"),
        )


# -------------------------------------------------------------- delivery


def _own_delivery(delivery: Delivery, actor) -> Delivery:
    _require(actor, StaffRole.POSTAL_COURIER)
    if delivery.organisation_id != actor.organisation_id:
        raise PermissionDenied(_("不是本机构的投递。"))
    return Delivery.objects.select_for_update().get(pk=delivery.pk)


@transaction.atomic
def delivery_call(*, delivery: Delivery, actor, agreed_time: str) -> Delivery:
    """The courier phoned the reserved number and agreed a time (B6)."""
    delivery = _own_delivery(delivery, actor)
    if not agreed_time.strip():
        raise ResidenceError(_("请填写与收件人约定的投递时间。"), field="agreed_time")
    delivery.agreed_time = agreed_time.strip()[:64]
    delivery.called_at = timezone.now()
    delivery.courier = actor
    transition(
        process=DELIVERY_PROCESS,
        record=delivery,
        action="call",
        actor=actor,
        details={"agreed_time": delivery.agreed_time},
        update_fields=["agreed_time", "called_at", "courier"],
    )
    return delivery


@transaction.atomic
def delivery_deliver(*, delivery: Delivery, actor, cash_yuan: int) -> Delivery:
    """Handed over, cash on delivery collected (15 yuan)."""
    delivery = _own_delivery(delivery, actor)
    if int(cash_yuan) != delivery.fee_yuan:
        raise ResidenceError(
            _("到付费用为%(fee)d元，请按实收金额核对。") % {"fee": delivery.fee_yuan},
            field="cash_yuan",
        )
    delivery.cash_collected_yuan = int(cash_yuan)
    delivery.delivered_at = timezone.now()
    delivery.delivered_on = today()
    delivery.courier = actor
    delivery.attempts += 1
    transition(
        process=DELIVERY_PROCESS,
        record=delivery,
        action="deliver",
        actor=actor,
        details={"cash_yuan": int(cash_yuan)},
        update_fields=[
            "cash_collected_yuan",
            "delivered_at",
            "delivered_on",
            "courier",
            "attempts",
        ],
    )
    application = delivery.application
    application.completed_at = timezone.now()
    transition(
        process=PERMIT_PROCESS,
        record=application,
        action="deliver",
        actor=actor,
        update_fields=["completed_at"],
    )
    _notify(application.person, "permit_delivered", {"application": application})
    return delivery


@transaction.atomic
def delivery_fail(*, delivery: Delivery, actor, reason: str) -> Delivery:
    delivery = _own_delivery(delivery, actor)
    delivery.failure_reason = reason[:200]
    delivery.attempts += 1
    delivery.courier = actor
    transition(
        process=DELIVERY_PROCESS,
        record=delivery,
        action="fail",
        actor=actor,
        reason=reason,
        update_fields=["failure_reason", "attempts", "courier"],
    )
    return delivery


@transaction.atomic
def delivery_retry(*, delivery: Delivery, actor) -> Delivery:
    delivery = _own_delivery(delivery, actor)
    delivery.due_on = add_working_days(today(), 2).date
    transition(
        process=DELIVERY_PROCESS,
        record=delivery,
        action="retry",
        actor=actor,
        update_fields=["due_on"],
    )
    return delivery


@transaction.atomic
def delivery_return(*, delivery: Delivery, actor, reason: str) -> Delivery:
    """Give up: the card goes to the applicant's center for collection."""
    delivery = _own_delivery(delivery, actor)
    transition(
        process=DELIVERY_PROCESS,
        record=delivery,
        action="return",
        actor=actor,
        reason=reason,
    )
    application = delivery.application
    if application.pickup_center_id is None:
        application.pickup_center_id = application.handling_organisation_id
    transition(
        process=PERMIT_PROCESS,
        record=application,
        action="return_to_center",
        actor=actor,
        reason=reason,
        update_fields=["pickup_center"],
    )
    _notify(application.person, "permit_ready_for_pickup", {"application": application})
    return delivery


@transaction.atomic
def cash_reconcile(
    *, courier, day: datetime.date, received_yuan: int, actor, note: str = ""
) -> CashReconciliation:
    """Record the cash a courier handed over for ``day`` against the deliveries."""
    _require(actor, StaffRole.POSTAL_COURIER)
    if courier.organisation_id != actor.organisation_id:
        raise PermissionDenied(_("不是本机构的投递员。"))
    rows = Delivery.objects.filter(
        courier=courier, delivered_on=day, state=DeliveryState.DELIVERED
    )
    expected = rows.aggregate(total=Sum("cash_collected_yuan"))["total"] or 0
    record, _created = CashReconciliation.objects.update_or_create(
        courier=courier,
        day=day,
        defaults={
            "organisation_id": actor.organisation_id,
            "deliveries": rows.count(),
            "expected_yuan": expected,
            "received_yuan": int(received_yuan),
            "recorded_by": actor,
            "note": note[:200],
        },
    )
    audit_record(
        actor=actor,
        action="card_delivery:reconcile",
        obj=record,
        changes={"expected": expected, "received": int(received_yuan)},
    )
    return record


# ------------------------------------------------------------- reminders


@transaction.atomic
def permits_remind(*, on: datetime.date | None = None, limit: int = 1000) -> int:
    """Remind holders whose endorsement window opens (once per validity year)."""
    from huji.residence.constants import REMIND_BEFORE_DAYS

    on = on or today()
    horizon = on + datetime.timedelta(days=REMIND_BEFORE_DAYS)
    sent = 0
    candidates = (
        Permit.objects.filter(valid_until__gte=on, valid_until__lte=horizon)
        .exclude(reminded_for=F("valid_until"))
        .select_related("person", "person__account")
        .prefetch_related("events")
        .order_by("valid_until", "id")[:limit]
    )
    for permit in candidates:
        state, _v = rules.permit_state(list(permit.events.all()), on)
        if state != PermitState.ENDORSEMENT_DUE:
            continue
        permit.reminded_for = permit.valid_until
        permit.save(update_fields=["reminded_for"])
        _notify(
            permit.person,
            "permit_endorsement_due",
            {"permit": permit, "valid_until": _date_cn(permit.valid_until)},
        )
        sent += 1
    return sent
