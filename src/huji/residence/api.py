"""``/api/v1/residence``: the same services as the pages.

Residents (session + CSRF): registrations, eligibility, permit applications, their
permits. Staff (session with TOTP): confirm/refuse registrations, accept/approve/
refuse applications, card batches, deliveries, counter operations on a permit.
Refusals come back as 400 ``{"detail": ..., "field": ...}``; records out of scope
as 404, exactly like missing ones.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from huji.accounts.api_auth import resident_auth, staff_auth
from huji.residence import selectors, services
from huji.residence.models import Delivery, Permit
from huji.workflow.engine import TransitionRefused

router = Router(tags=["residence"])


class Problem(Schema):
    detail: str
    field: str = ""


def _refused(exc) -> Status:
    return Status(400, {"detail": str(exc), "field": getattr(exc, "field", "")})


def _call(func, **kwargs):
    try:
        return func(**kwargs)
    except (services.ResidenceError, TransitionRefused) as exc:
        raise _Refused(exc) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "forbidden") from exc


class _Refused(Exception):
    def __init__(self, exc):
        self.exc = exc


def _person(request):
    person = request.user.person
    if person is None:
        raise HttpError(403, "实名认证后才能办理居住业务。")
    return person


def _page(qs, limit: int, offset: int):
    limit = max(1, min(limit, 100))
    offset = max(0, offset)
    return {"count": qs.count(), "items": list(qs[offset : offset + limit])}


# ----------------------------------------------------------------- schemas


class RegistrationIn(Schema):
    street_code: str
    address_detail: str
    reason: str
    housing_type: str
    phone: str
    employer: str = ""
    housing_proof: str = ""


class RegistrationOut(Schema):
    number: str
    kind: str
    state: str
    address: str
    center: str
    police_station: str
    due_on: datetime.date
    registered_on: datetime.date | None
    certificate_token: str | None

    @staticmethod
    def resolve_center(obj):
        return obj.handling_organisation.name

    @staticmethod
    def resolve_police_station(obj):
        return obj.police_station.name

    @staticmethod
    def resolve_certificate_token(obj):
        return obj.certificate.token if obj.certificate_id else None


class RegistrationPage(Schema):
    count: int
    items: list[RegistrationOut]


class EligibilityOut(Schema):
    ok: bool
    reasons: list[str]
    registered_since: datetime.date | None
    qualifies_on: datetime.date | None


class PermitApplicationIn(Schema):
    basis: str
    handover: str
    social_insurance_declared: bool = False
    pickup_center_code: str = ""
    delivery_address: str = ""
    delivery_phone: str = ""


class ApplicationOut(Schema):
    number: str
    kind: str
    state: str
    handover: str
    accepted_on: datetime.date | None
    review_due_on: datetime.date | None
    result_visible_on: datetime.date | None
    production_due_on: datetime.date | None


class PermitOut(Schema):
    card_number: str
    state: str
    state_label: str
    issued_on: datetime.date
    valid_until: datetime.date | None
    endorsement_window_opens: datetime.date | None
    grace_ends: datetime.date | None
    certificate_token: str | None


class ReasonIn(Schema):
    reason: str = ""


class BatchOut(Schema):
    number: str
    state: str
    due_on: datetime.date


class DeliveryOut(Schema):
    id: int
    application_number: str
    recipient_name: str
    address: str
    phone: str
    fee_yuan: int
    state: str
    due_on: datetime.date
    agreed_time: str
    cash_collected_yuan: int

    @staticmethod
    def resolve_application_number(obj):
        return obj.application.number


class DeliveryActionIn(Schema):
    agreed_time: str = ""
    cash_yuan: int = 0
    reason: str = ""


def _permit_out(view) -> dict:
    permit = view.permit
    return {
        "card_number": permit.card_number,
        "state": view.state,
        "state_label": view.state_label,
        "issued_on": permit.issued_on,
        "valid_until": view.valid_until,
        "endorsement_window_opens": view.window_opens,
        "grace_ends": view.grace_ends,
        "certificate_token": permit.certificate.token if permit.certificate else None,
    }


# --------------------------------------------------------------- residents


@router.get("/registrations", response=RegistrationPage, auth=resident_auth)
def my_registrations(request, limit: int = 20, offset: int = 0):
    return _page(
        selectors.registrations_of_person(person=_person(request)), limit, offset
    )


@router.post(
    "/registrations",
    response={201: RegistrationOut, 400: Problem},
    auth=resident_auth,
)
def registration_create(request, body: RegistrationIn):
    try:
        return Status(
            201,
            _call(
                services.registration_submit,
                person=_person(request),
                actor=request.user,
                **body.dict(),
            ),
        )
    except _Refused as exc:
        return _refused(exc.exc)


@router.get(
    "/registrations/{number}",
    response=RegistrationOut,
    auth=[resident_auth, staff_auth],
)
def registration_get(request, number: str):
    if request.user.is_staff_member:
        qs = selectors.registrations_for_staff(user=request.user)
    else:
        qs = selectors.registrations_of_person(person=_person(request))
    return get_object_or_404(qs, number=number)


@router.get("/eligibility", response=EligibilityOut, auth=resident_auth)
def eligibility(request, basis: str = "job", social_insurance_declared: bool = False):
    return services.eligibility(
        person=_person(request),
        basis=basis,
        social_insurance_declared=social_insurance_declared,
    )


@router.post(
    "/permit-applications",
    response={201: ApplicationOut, 400: Problem},
    auth=resident_auth,
)
def permit_application_create(request, body: PermitApplicationIn):
    from huji.organizations.models import Organisation

    data = body.dict()
    code = data.pop("pickup_center_code")
    center = Organisation.objects.filter(code=code).first() if code else None
    try:
        return Status(
            201,
            _call(
                services.permit_apply,
                person=_person(request),
                actor=request.user,
                pickup_center=center,
                **data,
            ),
        )
    except _Refused as exc:
        return _refused(exc.exc)


@router.get(
    "/permit-applications/{number}",
    response=ApplicationOut,
    auth=[resident_auth, staff_auth],
)
def permit_application_get(request, number: str):
    if request.user.is_staff_member:
        qs = selectors.applications_for_clerk(user=request.user)
    else:
        qs = selectors.applications_of_person(person=_person(request))
    return get_object_or_404(qs, number=number)


@router.get("/permits", response=list[PermitOut], auth=resident_auth)
def my_permits(request):
    return [
        _permit_out(v) for v in selectors.permits_of_person(person=_person(request))
    ]


# -------------------------------------------------------------------- staff


@router.post(
    "/registrations/{number}/{action}",
    response={200: RegistrationOut, 400: Problem},
    auth=staff_auth,
)
def registration_act(request, number: str, action: str, body: ReasonIn):
    registration = get_object_or_404(
        selectors.registrations_for_staff(user=request.user), number=number
    )
    try:
        if action == "confirm":
            return _call(
                services.registration_confirm,
                registration=registration,
                actor=request.user,
            )
        if action == "refuse":
            return _call(
                services.registration_refuse,
                registration=registration,
                actor=request.user,
                reason=body.reason,
            )
    except _Refused as exc:
        return _refused(exc.exc)
    raise HttpError(404, "unknown action")


APPLICATION_ACTIONS = {
    "accept": (services.permit_accept, False),
    "approve": (services.permit_approve, False),
    "refuse": (services.permit_refuse, True),
    "return": (services.permit_return, True),
    "collect": (services.permit_collect, False),
}


@router.post(
    "/permit-applications/{number}/{action}",
    response={200: ApplicationOut, 400: Problem},
    auth=staff_auth,
)
def permit_application_act(request, number: str, action: str, body: ReasonIn):
    application = get_object_or_404(
        selectors.applications_for_clerk(user=request.user), number=number
    )
    if action not in APPLICATION_ACTIONS:
        raise HttpError(404, "unknown action")
    func, with_reason = APPLICATION_ACTIONS[action]
    kwargs = {"application": application, "actor": request.user}
    if with_reason:
        kwargs["reason"] = body.reason
    try:
        return _call(func, **kwargs)
    except _Refused as exc:
        return _refused(exc.exc)


@router.post(
    "/permits/{card_number}/{operation}",
    response={200: ApplicationOut, 400: Problem},
    auth=staff_auth,
)
def counter_operation(request, card_number: str, operation: str, body: ReasonIn):
    """Counter operations on a permit (center clerks, any center): ``endorse``,
    ``report-loss``, ``cancel-loss``, ``reissue``."""
    operations = {
        "endorse": (services.permit_endorse, {}),
        "report-loss": (services.permit_report_loss, {"reason": body.reason}),
        "cancel-loss": (services.permit_cancel_loss, {}),
        "reissue": (services.permit_reissue, {}),
    }
    if operation not in operations:
        raise HttpError(404, "unknown operation")
    permit = get_object_or_404(Permit, card_number=card_number)
    func, extra = operations[operation]
    try:
        return _call(func, permit=permit, actor=request.user, **extra)
    except _Refused as exc:
        return _refused(exc.exc)


@router.post(
    "/production/batches", response={201: BatchOut, 400: Problem}, auth=staff_auth
)
def batch_create(request, limit: int = 50):
    try:
        return Status(
            201, _call(services.batch_create, actor=request.user, limit=limit)
        )
    except _Refused as exc:
        return _refused(exc.exc)


@router.post(
    "/production/batches/{number}/{action}",
    response={200: BatchOut, 400: Problem},
    auth=staff_auth,
)
def batch_act(request, number: str, action: str):
    actions = {
        "print": services.batch_print,
        "check": services.batch_check,
        "dispatch": services.batch_dispatch,
    }
    if action not in actions:
        raise HttpError(404, "unknown action")
    batch = get_object_or_404(
        selectors.batches_for_staff(user=request.user), number=number
    )
    try:
        return _call(actions[action], batch=batch, actor=request.user)
    except _Refused as exc:
        return _refused(exc.exc)


@router.get("/deliveries", response=list[DeliveryOut], auth=staff_auth)
def deliveries(request, state: str = "", limit: int = 50, offset: int = 0):
    limit = max(1, min(limit, 100))
    qs = selectors.deliveries_for_courier(user=request.user, state=state)
    return list(qs[max(0, offset) : max(0, offset) + limit])


@router.post(
    "/deliveries/{pk}/{action}",
    response={200: DeliveryOut, 400: Problem},
    auth=staff_auth,
)
def delivery_act(request, pk: int, action: str, body: DeliveryActionIn):
    try:
        delivery = selectors.delivery_for_courier(user=request.user, pk=pk)
    except Delivery.DoesNotExist as exc:
        raise HttpError(404, "Not Found") from exc
    calls = {
        "call": (services.delivery_call, {"agreed_time": body.agreed_time}),
        "deliver": (services.delivery_deliver, {"cash_yuan": body.cash_yuan}),
        "fail": (services.delivery_fail, {"reason": body.reason}),
        "retry": (services.delivery_retry, {}),
        "return": (services.delivery_return, {"reason": body.reason}),
    }
    if action not in calls:
        raise HttpError(404, "unknown action")
    func, extra = calls[action]
    try:
        return _call(func, delivery=delivery, actor=request.user, **extra)
    except _Refused as exc:
        return _refused(exc.exc)
