"""Window slots and bookings: what other apps and the pages call.

Capacity holds under concurrency without locks held across requests: a booking
increments ``WindowSlot.booked`` with one conditional UPDATE
(``booked < capacity``), so two residents racing for the last place cannot both win;
the database check constraint ``booked <= capacity`` is the backstop.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from huji.appointments.constants import (
    BOOKING_HORIZON_DAYS,
    WINDOW_MANAGER_ROLES,
    WINDOW_OFFICER_ROLES,
    BookingState,
)
from huji.appointments.models import Booking, WindowSlot, WindowSlotTemplate
from huji.audit.services import audit_record
from huji.organizations.constants import OrganisationKind
from huji.organizations.permissions import can_access_organisation


class BookingRefused(ValueError):
    """A booking action that cannot be done; the message is for the resident."""


def is_working_day(day: datetime.date) -> bool:
    # The workdays app's contract; imported late so this module loads while that
    # app is being built, and so tests can freeze its calendar.
    from huji.workdays.services import is_working_day as working

    return working(day)


# ---------------------------------------------------------------- permissions


def _is_station_staff(user, station, roles) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_staff_member
        and user.role in roles
        and (user.organisation_id == station.pk or user.role == "system_admin")
    )


def window_may_manage(*, user, station) -> bool:
    return _is_station_staff(user, station, WINDOW_MANAGER_ROLES)


def _application_station_id(application) -> int | None:
    return application.handling_organisation_id


def _resident_owns(user, application) -> bool:
    if user is None or not user.is_authenticated or not user.is_resident:
        return False
    return application.applicant_id == user.pk


def _may_act_on_booking(user, application) -> bool:
    if _resident_owns(user, application):
        return True
    return (
        user is not None
        and user.is_authenticated
        and user.is_staff_member
        and user.role in WINDOW_OFFICER_ROLES
        and can_access_organisation(user, _application_station_id(application))
    )


# ---------------------------------------------------------------- templates


@transaction.atomic
def window_templates_set(
    *, station, rows: list[dict], actor
) -> list[WindowSlotTemplate]:
    """Replace ``station``'s weekly window hours. Each row: ``weekday`` (0=Monday),
    ``start_time``, ``end_time`` (``datetime.time``) and ``capacity``.

    Slots already made keep their capacity unless it grows; future slots not yet
    made follow the new hours.
    """
    if station.kind != OrganisationKind.POLICE_STATION:
        raise BookingRefused(_("只有派出所可以设置户籍窗口时段。"))
    if not window_may_manage(user=actor, station=station):
        raise PermissionDenied
    cleaned = []
    for row in rows:
        if row["end_time"] <= row["start_time"]:
            raise BookingRefused(_("结束时间必须晚于开始时间。"))
        if int(row["capacity"]) < 1:
            raise BookingRefused(_("每个时段可预约人数至少为 1。"))
        cleaned.append(row)
    before = list(
        WindowSlotTemplate.objects.filter(station=station).values(
            "weekday", "start_time", "end_time", "capacity"
        )
    )
    WindowSlotTemplate.objects.filter(station=station).delete()
    try:
        with transaction.atomic():
            templates = WindowSlotTemplate.objects.bulk_create(
                WindowSlotTemplate(
                    station=station,
                    weekday=int(row["weekday"]),
                    start_time=row["start_time"],
                    end_time=row["end_time"],
                    capacity=int(row["capacity"]),
                )
                for row in cleaned
            )
    except IntegrityError as exc:
        raise BookingRefused(_("同一天不能有两个开始时间相同的时段。")) from exc
    audit_record(
        actor=actor,
        action="window_templates_set",
        obj=station,
        changes={
            "before": [_template_repr(r) for r in before],
            "after": [_template_repr(r) for r in cleaned],
        },
    )
    return templates


def _template_repr(row: dict) -> str:
    return (
        f"{row['weekday']} {row['start_time']:%H:%M}-{row['end_time']:%H:%M}"
        f" x{row['capacity']}"
    )


# ---------------------------------------------------------------- slots


def slots_generate(*, station, start_date: datetime.date, days: int) -> int:
    """Make the concrete slots of ``station`` for the working days in
    ``[start_date, start_date + days)`` from its templates. Idempotent."""
    templates = list(WindowSlotTemplate.objects.filter(station=station, is_active=True))
    if not templates:
        return 0
    tz = timezone.get_current_timezone()
    new = []
    for offset in range(days):
        day = start_date + datetime.timedelta(days=offset)
        if not is_working_day(day):
            continue
        for template in templates:
            if template.weekday != day.weekday():
                continue
            new.append(
                WindowSlot(
                    station=station,
                    start=datetime.datetime.combine(day, template.start_time, tz),
                    end=datetime.datetime.combine(day, template.end_time, tz),
                    capacity=template.capacity,
                )
            )
    created = WindowSlot.objects.bulk_create(new, ignore_conflicts=True)
    return len(created)


def slots_available(
    *,
    station,
    start_date: datetime.date | None = None,
    days: int = BOOKING_HORIZON_DAYS,
) -> list[WindowSlot]:
    """Slots of ``station`` with a place left, on working days from ``start_date``
    (default: tomorrow, so the station can prepare) for ``days`` days."""
    if start_date is None:
        start_date = timezone.localdate() + datetime.timedelta(days=1)
    days = max(1, min(days, 60))
    slots_generate(station=station, start_date=start_date, days=days)
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start_date, datetime.time.min, tz)
    until = since + datetime.timedelta(days=days)
    rows = WindowSlot.objects.filter(
        station=station,
        start__gte=max(since, timezone.now()),
        start__lt=until,
        booked__lt=F("capacity"),
    ).order_by("start")
    return [
        slot for slot in rows if is_working_day(timezone.localtime(slot.start).date())
    ]


def _take_place(slot: WindowSlot) -> None:
    taken = WindowSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
        booked=F("booked") + 1
    )
    if not taken:
        raise BookingRefused(_("该时段已约满，请选择其他时段。"))


def _free_place(slot_id: int) -> None:
    WindowSlot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _check_slot_for(application, slot: WindowSlot) -> None:
    if slot.station_id != _application_station_id(application):
        raise BookingRefused(_("请预约受理您申请的派出所户籍窗口。"))
    if slot.start <= timezone.now():
        raise BookingRefused(_("该时段已过，请选择其他时段。"))
    day = timezone.localtime(slot.start).date()
    if not is_working_day(day):
        raise BookingRefused(_("该日不是工作日，请选择其他日期。"))
    if application.visit_due_on and day > application.visit_due_on:
        raise BookingRefused(
            _("请预约 %(date)s 之前的时段（窗口办理期限）。")
            % {"date": application.visit_due_on.strftime("%Y-%m-%d")}
        )


# ---------------------------------------------------------------- bookings


def booking_active(*, application) -> Booking | None:
    return (
        Booking.objects.filter(application=application, state=BookingState.BOOKED)
        .select_related("slot", "slot__station")
        .first()
    )


def _notify(booking: Booking, event: str) -> None:
    from huji.notifications.services import notification_send

    application = booking.application
    recipient = _recipient_of(application)
    if recipient is None:
        return
    slot = booking.slot
    context = {
        "number": application.number,
        "item_name": _item_name(application),
        "station": slot.station.name,
        "address": slot.station.address,
        "start": timezone.localtime(slot.start),
        "end": timezone.localtime(slot.end),
    }
    link = f"/me/applications/{application.number}/"
    transaction.on_commit(
        lambda: notification_send(
            recipient=recipient, event=event, context=context, link=link
        )
    )


def _recipient_of(application):
    return application.applicant


def _item_name(application) -> str:
    return application.item_version.name


@transaction.atomic
def booking_create(*, application, slot: WindowSlot, actor) -> Booking:
    """Book ``slot`` for ``application`` (pre-approved, no active booking)."""
    from huji.applications.services import application_visit_booked

    if not _may_act_on_booking(actor, application):
        raise PermissionDenied
    _check_slot_for(application, slot)
    if Booking.objects.filter(
        application=application, state=BookingState.BOOKED
    ).exists():
        raise BookingRefused(_("您已预约，如需更换时间请改约。"))
    _take_place(slot)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                application=application, slot=slot, booked_by=actor
            )
    except IntegrityError as exc:
        raise BookingRefused(_("您已预约，如需更换时间请改约。")) from exc
    application_visit_booked(
        application=application, actor=actor, booking_id=booking.pk
    )
    audit_record(
        actor=actor,
        action="booking_create",
        obj=booking,
        changes={"application": application.number, "slot": _iso(slot.start)},
    )
    _notify(booking, "visit_booked")
    return booking


def _iso(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).isoformat()


def _lock(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot", "slot__station", "application")
        .get(pk=booking.pk)
    )


@transaction.atomic
def booking_reschedule(*, booking: Booking, slot: WindowSlot, actor) -> Booking:
    """Move an active booking to another slot of the same station."""
    booking = _lock(booking)
    if not _may_act_on_booking(actor, booking.application):
        raise PermissionDenied
    if booking.state != BookingState.BOOKED:
        raise BookingRefused(_("该预约已不能改约。"))
    if slot.pk == booking.slot_id:
        return booking
    _check_slot_for(booking.application, slot)
    old = booking.slot
    _take_place(slot)
    _free_place(old.pk)
    booking.slot = slot
    booking.rescheduled_at = timezone.now()
    booking.reminded_at = None
    booking.save(update_fields=["slot", "rescheduled_at", "reminded_at"])
    audit_record(
        actor=actor,
        action="booking_reschedule",
        obj=booking,
        changes={"slot": [_iso(old.start), _iso(slot.start)]},
    )
    _notify(booking, "visit_rescheduled")
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor, reason: str = "") -> Booking:
    """Cancel an active booking; the place is freed and the application goes back
    to waiting for a booking."""
    from huji.applications.services import application_visit_cancelled

    booking = _lock(booking)
    if not _may_act_on_booking(actor, booking.application):
        raise PermissionDenied
    if booking.state != BookingState.BOOKED:
        raise BookingRefused(_("该预约已取消或已办理。"))
    booking.state = BookingState.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["state", "cancelled_at"])
    _free_place(booking.slot_id)
    application_visit_cancelled(application=booking.application, actor=actor)
    audit_record(actor=actor, action="booking_cancel", obj=booking, reason=reason)
    _notify(booking, "visit_cancelled")
    return booking


def _originals_checked(originals: list[str], ticked: list[str]) -> list[str]:
    ticked_set = set(ticked)
    return [name for name in originals if name in ticked_set]


def _check_officer(officer, booking: Booking) -> None:
    if not (
        officer is not None
        and officer.is_authenticated
        and officer.is_staff_member
        and officer.role in WINDOW_OFFICER_ROLES
        and officer.organisation_id == booking.slot.station_id
    ):
        raise PermissionDenied


@transaction.atomic
def booking_attend(
    *, booking: Booking, officer, originals_checked: list[str]
) -> Booking:
    """The resident came to the window: record which originals were seen."""
    booking = _lock(booking)
    _check_officer(officer, booking)
    if booking.state != BookingState.BOOKED:
        raise BookingRefused(_("该预约已取消或已办理。"))
    booking.state = BookingState.ATTENDED
    booking.attended_at = timezone.now()
    booking.originals_checked = originals_checked
    booking.save(update_fields=["state", "attended_at", "originals_checked"])
    audit_record(
        actor=officer,
        action="booking_attend",
        obj=booking,
        changes={"originals_checked": originals_checked},
    )
    return booking


@transaction.atomic
def window_complete(
    *,
    booking: Booking,
    officer,
    originals: list[str],
    ticked: list[str],
    issued: list[str] | str,
):
    """At the window: every original must be ticked; mark the visit attended and
    complete the business, recording what was issued."""
    from huji.applications.services import application_complete

    missing = [name for name in originals if name not in set(ticked)]
    if missing:
        raise BookingRefused(
            _("以下原件尚未核验：%(names)s。未带齐原件请选择“窗口不予办理”并说明理由。")
            % {"names": "、".join(missing)}
        )
    if isinstance(issued, str):
        issued = [line.strip() for line in issued.splitlines() if line.strip()]
    if not issued:
        raise BookingRefused(
            _("请填写本次签发的证件或材料（如户口簿新页、户口迁移证）。")
        )
    checked = _originals_checked(originals, ticked)
    booking = booking_attend(
        booking=booking, officer=officer, originals_checked=checked
    )
    application_complete(
        application=booking.application,
        officer=officer,
        originals_checked=checked,
        issued={"documents": issued},
    )
    return booking


@transaction.atomic
def window_refuse(
    *,
    booking: Booking,
    officer,
    originals: list[str],
    ticked: list[str],
    reasons: list[str] | str,
):
    """At the window: the business cannot be done (e.g. an original differs from
    the upload). The visit is recorded with what was seen."""
    from huji.applications.services import application_refuse_at_window

    if isinstance(reasons, str):
        reasons = [line.strip() for line in reasons.splitlines() if line.strip()]
    if not reasons:
        raise BookingRefused(_("请填写不予办理的理由。"))
    checked = _originals_checked(originals, ticked)
    booking = booking_attend(
        booking=booking, officer=officer, originals_checked=checked
    )
    application_refuse_at_window(
        application=booking.application, officer=officer, reasons=reasons
    )
    return booking


@transaction.atomic
def bookings_mark_no_show(*, before: datetime.datetime | None = None) -> int:
    """Keep bookings in step with what happened (idempotent, run daily):

    - the application was completed or refused at the window by another route
      (the staff application page): the booking was attended;
    - the application closed or was withdrawn: the booking is cancelled and a
      future place is freed;
    - the slot ended before ``before`` (default: now) without a visit: no-show.

    Returns the number of no-shows.
    """
    from huji.applications.constants import State

    before = before or timezone.now()
    active = Booking.objects.filter(state=BookingState.BOOKED)
    active.filter(
        application__state__in=[State.COMPLETED, State.REFUSED_AT_WINDOW]
    ).update(state=BookingState.ATTENDED, attended_at=before)
    ended = list(
        active.filter(
            application__state__in=[
                State.CLOSED_NO_VISIT,
                State.WITHDRAWN,
                State.REFUSED,
            ]
        ).values_list("pk", "slot_id")[:1000]
    )
    for pk, slot_id in ended:
        if Booking.objects.filter(pk=pk, state=BookingState.BOOKED).update(
            state=BookingState.CANCELLED, cancelled_at=before
        ):
            _free_place(slot_id)
    ids = list(active.filter(slot__end__lt=before).values_list("pk", flat=True)[:1000])
    updated = Booking.objects.filter(pk__in=ids, state=BookingState.BOOKED).update(
        state=BookingState.NO_SHOW
    )
    for pk in ids:
        audit_record(
            actor=None,
            action="booking_no_show",
            object_type="appointments.booking",
            object_id=str(pk),
        )
    return updated


def visit_reminders_send(*, day: datetime.date | None = None) -> int:
    """Remind every resident booked for ``day`` (default: tomorrow). Each booking
    is reminded once (``reminded_at``), so running it twice sends nothing new."""
    day = day or timezone.localdate() + datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(day, datetime.time.min, tz)
    until = since + datetime.timedelta(days=1)
    ids = Booking.objects.filter(
        state=BookingState.BOOKED,
        reminded_at__isnull=True,
        slot__start__gte=since,
        slot__start__lt=until,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(ids):
        sent += _remind_one(pk)
    return sent


@transaction.atomic
def _remind_one(pk: int) -> int:
    booking = (
        Booking.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("slot", "slot__station", "application")
        .filter(pk=pk, state=BookingState.BOOKED, reminded_at__isnull=True)
        .first()
    )
    if booking is None:
        return 0
    booking.reminded_at = timezone.now()
    booking.save(update_fields=["reminded_at"])
    _notify(booking, "visit_reminder")
    return 1
