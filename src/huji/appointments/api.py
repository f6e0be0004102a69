"""Window bookings in the JSON API (mounted at ``/api/v1/appointments``).

Residents: the slots open for their pre-approved application, book, reschedule,
cancel. Station staff: the window's hours, the day's bookings, and the visit
(complete or refuse). Every endpoint calls the same services as the pages.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from huji.accounts.api_auth import resident_auth, staff_auth
from huji.applications.services import originals_to_bring
from huji.appointments import selectors, services
from huji.appointments.constants import (
    BOOKING_HORIZON_DAYS,
    WINDOW_MANAGER_ROLES,
    WINDOW_OFFICER_ROLES,
)
from huji.appointments.models import Booking, WindowSlot
from huji.workflow.engine import TransitionRefused

router = Router(tags=["appointments"])


class SlotOut(Schema):
    id: int
    start: datetime.datetime
    end: datetime.datetime
    remaining: int


class BookingOut(Schema):
    id: int
    application: str
    state: str
    state_label: str
    station: str
    station_address: str
    start: datetime.datetime
    end: datetime.datetime
    originals: list[str] = []


class SlotIn(Schema):
    slot_id: int


class HoursRow(Schema):
    weekday: int
    start_time: datetime.time
    end_time: datetime.time
    capacity: int


class VisitComplete(Schema):
    originals_checked: list[str]
    issued: list[str]


class VisitRefuse(Schema):
    originals_checked: list[str] = []
    reasons: list[str]


def _booking_out(booking: Booking, *, originals=None) -> dict:
    station = booking.slot.station
    return {
        "id": booking.pk,
        "application": booking.application.number,
        "state": booking.state,
        "state_label": booking.get_state_display(),
        "station": station.name,
        "station_address": station.address,
        "start": booking.slot.start,
        "end": booking.slot.end,
        "originals": originals or [],
    }


def _refused(exc) -> HttpError:
    if isinstance(exc, ValidationError):
        return HttpError(400, "；".join(exc.messages))
    return HttpError(400, str(exc))


REFUSALS = (services.BookingRefused, TransitionRefused, ValidationError)


def _own_application(request, number: str):
    from huji.applications.selectors import application_for_resident

    try:
        return application_for_resident(user=request.auth, number=number)
    except Http404:
        raise HttpError(404, "没有找到该申请。") from None


def _slot_for(application, slot_id: int) -> WindowSlot:
    slot = WindowSlot.objects.filter(
        pk=slot_id, station_id=application.handling_organisation_id
    ).first()
    if slot is None:
        raise HttpError(400, "没有这个时段，请重新选择。")
    return slot


# ------------------------------------------------------------------ residents


@router.get(
    "/applications/{number}/slots",
    response=list[SlotOut],
    auth=resident_auth,
    summary="Open window slots for my application",
)
def slots_for_application(request, number: str, days: int = BOOKING_HORIZON_DAYS):
    application = _own_application(request, number)
    if application.handling_organisation is None:
        return []
    return [
        {"id": s.pk, "start": s.start, "end": s.end, "remaining": s.remaining}
        for s in services.slots_available(
            station=application.handling_organisation, days=days
        )
    ]


@router.get(
    "/applications/{number}/booking",
    response=BookingOut,
    auth=resident_auth,
    summary="My active booking, with the originals to bring",
)
def booking_get(request, number: str):
    application = _own_application(request, number)
    booking = services.booking_active(application=application)
    if booking is None:
        raise HttpError(404, "尚未预约。")
    return _booking_out(booking, originals=originals_to_bring(application))


@router.post(
    "/applications/{number}/booking",
    response={201: BookingOut},
    auth=resident_auth,
    summary="Book a window slot",
)
def booking_create(request, number: str, payload: SlotIn):
    application = _own_application(request, number)
    slot = _slot_for(application, payload.slot_id)
    try:
        booking = services.booking_create(
            application=application, slot=slot, actor=request.auth
        )
    except PermissionDenied:
        raise HttpError(403, "无权预约。") from None
    except REFUSALS as exc:
        raise _refused(exc) from None
    return Status(201, _booking_out(booking))


@router.put(
    "/applications/{number}/booking",
    response=BookingOut,
    auth=resident_auth,
    summary="Move my booking to another slot",
)
def booking_reschedule(request, number: str, payload: SlotIn):
    application = _own_application(request, number)
    booking = services.booking_active(application=application)
    if booking is None:
        raise HttpError(404, "尚未预约。")
    slot = _slot_for(application, payload.slot_id)
    try:
        booking = services.booking_reschedule(
            booking=booking, slot=slot, actor=request.auth
        )
    except PermissionDenied:
        raise HttpError(403, "无权改约。") from None
    except REFUSALS as exc:
        raise _refused(exc) from None
    return _booking_out(booking)


@router.delete(
    "/applications/{number}/booking",
    response=BookingOut,
    auth=resident_auth,
    summary="Cancel my booking",
)
def booking_cancel(request, number: str):
    application = _own_application(request, number)
    booking = services.booking_active(application=application)
    if booking is None:
        raise HttpError(404, "尚未预约。")
    try:
        booking = services.booking_cancel(booking=booking, actor=request.auth)
    except PermissionDenied:
        raise HttpError(403, "无权取消。") from None
    except REFUSALS as exc:
        raise _refused(exc) from None
    return _booking_out(booking)


# ---------------------------------------------------------------------- staff


def _station(request):
    user = request.auth
    station = user.organisation
    if station is None or station.kind != "police_station":
        raise HttpError(403, "仅派出所可用。")
    return station


def _require_role(request, roles) -> None:
    if request.auth.role not in roles:
        raise HttpError(403, "您的岗位不能执行此操作。")


@router.get("/window/hours", response=list[HoursRow], auth=staff_auth)
def window_hours_get(request):
    _require_role(request, WINDOW_MANAGER_ROLES)
    return list(selectors.window_templates_for(station=_station(request)))


@router.put("/window/hours", response=list[HoursRow], auth=staff_auth)
def window_hours_set(request, rows: list[HoursRow]):
    _require_role(request, WINDOW_MANAGER_ROLES)
    try:
        return services.window_templates_set(
            station=_station(request),
            rows=[row.dict() for row in rows],
            actor=request.auth,
        )
    except PermissionDenied:
        raise HttpError(403, "无权设置。") from None
    except services.BookingRefused as exc:
        raise _refused(exc) from None


@router.get(
    "/window/bookings",
    response=list[BookingOut],
    auth=staff_auth,
    summary="The window's bookings on a day (default today)",
)
@paginate(LimitOffsetPagination)
def window_bookings(request, day: datetime.date | None = None):
    _require_role(request, WINDOW_OFFICER_ROLES)
    bookings = selectors.bookings_for_station_day(
        station=_station(request), day=day or timezone.localdate()
    ).select_related("slot__station")
    return [_booking_out(b) for b in bookings]


def _station_booking(request, booking_id: int) -> Booking:
    _require_role(request, WINDOW_OFFICER_ROLES)
    try:
        return selectors.booking_for_station(station=_station(request), pk=booking_id)
    except Booking.DoesNotExist:
        raise HttpError(404, "没有找到该预约。") from None


@router.post(
    "/window/bookings/{booking_id}/complete", response=BookingOut, auth=staff_auth
)
def window_complete(request, booking_id: int, payload: VisitComplete):
    booking = _station_booking(request, booking_id)
    try:
        booking = services.window_complete(
            booking=booking,
            officer=request.auth,
            originals=originals_to_bring(booking.application),
            ticked=payload.originals_checked,
            issued=payload.issued,
        )
    except PermissionDenied:
        raise HttpError(403, "无权办理。") from None
    except REFUSALS as exc:
        raise _refused(exc) from None
    return _booking_out(booking)


@router.post(
    "/window/bookings/{booking_id}/refuse", response=BookingOut, auth=staff_auth
)
def window_refuse(request, booking_id: int, payload: VisitRefuse):
    booking = _station_booking(request, booking_id)
    try:
        booking = services.window_refuse(
            booking=booking,
            officer=request.auth,
            originals=originals_to_bring(booking.application),
            ticked=payload.originals_checked,
            reasons=payload.reasons,
        )
    except PermissionDenied:
        raise HttpError(403, "无权办理。") from None
    except REFUSALS as exc:
        raise _refused(exc) from None
    return _booking_out(booking)
