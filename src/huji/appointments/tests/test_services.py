import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from huji.applications.constants import State
from huji.applications.tests import factories as app_factories
from huji.appointments import services
from huji.appointments.constants import BookingState
from huji.appointments.models import Booking, WindowSlot
from huji.appointments.tests.factories import book, make_slot, weekday_hours
from huji.audit.models import AuditEvent
from huji.notifications.models import Message

TUESDAY = datetime.date(2026, 12, 1)
WEDNESDAY = datetime.date(2026, 12, 2)


def test_slots_follow_templates_on_working_days_only(world):
    weekday_hours(world.station)
    slots = services.slots_available(
        station=world.station, start_date=datetime.date(2026, 12, 28), days=7
    )
    days = {timezone.localtime(s.start).date() for s in slots}
    # Mon 28 – Thu 31 December are working days; 1 January (New Year) is not.
    assert {datetime.date(2026, 12, 28), datetime.date(2026, 12, 31)} <= days
    assert datetime.date(2027, 1, 1) not in days


def test_slots_available_from_tomorrow_skip_weekend_and_full(world):
    weekday_hours(world.station, capacity=1)
    slots = services.slots_available(station=world.station, days=7)
    starts = [s.start.astimezone().replace(tzinfo=None) for s in slots]
    assert starts[0] == datetime.datetime(2026, 12, 1, 9)
    assert all(s.weekday() < 5 for s in starts)
    assert len(slots) == 2 * 5  # Tue–Fri and Mon
    application = app_factories.pre_approved(world)
    book(application, slots[0])
    remaining = services.slots_available(station=world.station, days=7)
    assert slots[0].pk not in [s.pk for s in remaining]
    # Generation is idempotent.
    assert WindowSlot.objects.filter(station=world.station).count() == 10


def test_booking_create_moves_application_and_notifies(
    world, django_capture_on_commit_callbacks
):
    application = app_factories.pre_approved(world)
    slot = make_slot(world.station, day=TUESDAY)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(application, slot)
    application.refresh_from_db()
    slot.refresh_from_db()
    assert booking.state == BookingState.BOOKED
    assert application.state == State.VISIT_BOOKED
    assert application.booking_id == str(booking.pk)
    assert slot.booked == 1
    event = AuditEvent.objects.get(action="booking_create")
    assert event.actor == world.resident
    message = Message.objects.get(recipient=world.resident, event="visit_booked")
    assert application.number in message.body


def test_booking_refused_for_someone_elses_application(world):
    application = app_factories.pre_approved(world)
    slot = make_slot(world.station, day=TUESDAY)
    with pytest.raises(PermissionDenied):
        book(application, slot, actor=world.other_resident)
    with pytest.raises(PermissionDenied):
        book(application, slot, actor=world.other_officer)
    booking = book(application, slot, actor=world.officer)  # same setup: allowed
    assert booking.booked_by == world.officer
    slot.refresh_from_db()
    assert slot.booked == 1


def test_booking_refused_other_station_past_or_twice(world):
    application = app_factories.pre_approved(world)
    with pytest.raises(services.BookingRefused, match="派出所"):
        book(application, make_slot(world.other_station, day=TUESDAY))
    with pytest.raises(services.BookingRefused, match="已过"):
        book(application, make_slot(world.station, day=datetime.date(2026, 11, 27)))
    slot = make_slot(world.station, day=TUESDAY)
    book(application, slot)
    with pytest.raises(services.BookingRefused, match="改约"):
        book(application, make_slot(world.station, day=WEDNESDAY))


def test_booking_refused_before_pre_approval(world):
    application = app_factories.under_review(world)
    slot = make_slot(world.station, day=TUESDAY)
    with pytest.raises(Exception, match="预约窗口"):
        book(application, slot)
    slot.refresh_from_db()
    assert slot.booked == 0
    assert not Booking.objects.exists()


def test_capacity_is_enforced(world):
    slot = make_slot(world.station, day=TUESDAY, capacity=1)
    first = app_factories.pre_approved(world)
    second = app_factories.pre_approved(world, resident=world.other_resident)
    book(first, slot)
    with pytest.raises(services.BookingRefused, match="约满"):
        book(second, slot)
    second.refresh_from_db()
    assert second.state == State.PRE_APPROVED
    slot.refresh_from_db()
    assert slot.booked == 1


def test_reschedule_moves_the_place(world):
    application = app_factories.pre_approved(world)
    old = make_slot(world.station, day=TUESDAY)
    new = make_slot(world.station, day=WEDNESDAY, hour=14)
    booking = book(application, old)
    booking = services.booking_reschedule(
        booking=booking, slot=new, actor=world.resident
    )
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.booked, new.booked) == (0, 1)
    assert booking.slot == new
    event = AuditEvent.objects.get(action="booking_reschedule")
    assert event.changes["slot"] == [
        "2026-12-01T09:00:00+08:00",
        "2026-12-02T14:00:00+08:00",
    ]
    with pytest.raises(PermissionDenied):
        services.booking_reschedule(
            booking=booking, slot=old, actor=world.other_resident
        )


def test_cancel_frees_the_place_and_reopens_booking(world):
    application = app_factories.pre_approved(world)
    slot = make_slot(world.station, day=TUESDAY)
    booking = book(application, slot)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking=booking, actor=world.other_resident)
    services.booking_cancel(booking=booking, actor=world.resident)
    booking.refresh_from_db()
    application.refresh_from_db()
    slot.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
    assert application.state == State.PRE_APPROVED
    assert slot.booked == 0
    assert AuditEvent.objects.filter(action="booking_cancel").count() == 1
    again = book(application, slot)  # a new booking is possible
    assert again.pk != booking.pk
    with pytest.raises(services.BookingRefused):
        services.booking_cancel(booking=booking, actor=world.resident)


def test_window_complete_needs_every_original(world):
    application = app_factories.pre_approved(world)
    booking = book(application, make_slot(world.station, day=TUESDAY))
    originals = ["居民身份证", "居民户口簿"]
    with pytest.raises(services.BookingRefused, match="居民户口簿"):
        services.window_complete(
            booking=booking,
            officer=world.officer,
            originals=originals,
            ticked=["居民身份证"],
            issued="户口簿新页",
        )
    with pytest.raises(PermissionDenied):
        services.window_complete(
            booking=booking,
            officer=world.other_officer,
            originals=originals,
            ticked=originals,
            issued="户口簿新页",
        )
    services.window_complete(
        booking=booking,
        officer=world.officer,
        originals=originals,
        ticked=originals,
        issued="户口簿新页（本人页）\n户口迁移证",
    )
    booking.refresh_from_db()
    application.refresh_from_db()
    assert booking.state == BookingState.ATTENDED
    assert booking.originals_checked == originals
    assert application.state == State.COMPLETED
    assert application.issued == {"documents": ["户口簿新页（本人页）", "户口迁移证"]}
    assert AuditEvent.objects.filter(action="booking_attend").count() == 1


def test_window_refuse_records_reasons(world):
    application = app_factories.pre_approved(world)
    booking = book(application, make_slot(world.station, day=TUESDAY))
    with pytest.raises(services.BookingRefused, match="理由"):
        services.window_refuse(
            booking=booking, officer=world.officer, originals=[], ticked=[], reasons=""
        )
    services.window_refuse(
        booking=booking,
        officer=world.officer,
        originals=["居民身份证"],
        ticked=["居民身份证"],
        reasons="户口簿原件与上传照片不一致",
    )
    application.refresh_from_db()
    booking.refresh_from_db()
    assert application.state == State.REFUSED_AT_WINDOW
    assert booking.state == BookingState.ATTENDED
    assert application.refusal_reasons == ["户口簿原件与上传照片不一致"]


def test_reminders_are_sent_once_for_tomorrow(
    world, django_capture_on_commit_callbacks
):
    tomorrow = book(
        app_factories.pre_approved(world), make_slot(world.station, day=TUESDAY)
    )
    later = book(
        app_factories.pre_approved(world, resident=world.other_resident),
        make_slot(world.station, day=WEDNESDAY),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.visit_reminders_send() == 1
    assert services.visit_reminders_send() == 0
    tomorrow.refresh_from_db()
    later.refresh_from_db()
    assert tomorrow.reminded_at is not None
    assert later.reminded_at is None
    reminders = Message.objects.filter(event="visit_reminder")
    assert [m.recipient for m in reminders] == [world.resident]
    assert "原件" in reminders[0].body


def test_remind_command(world, capsys, django_capture_on_commit_callbacks):
    book(app_factories.pre_approved(world), make_slot(world.station, day=WEDNESDAY))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("appointments_remind", "--day=2026-12-02")
    out = capsys.readouterr().out
    assert "提醒 1 条" in out
    assert Message.objects.filter(event="visit_reminder").count() == 1


def test_past_bookings_become_no_shows(world, frozen):
    booking = book(
        app_factories.pre_approved(world), make_slot(world.station, day=TUESDAY)
    )
    assert services.bookings_mark_no_show() == 0
    frozen.move_to("2026-12-01 11:00:00+08:00")
    assert services.bookings_mark_no_show() == 1
    booking.refresh_from_db()
    assert booking.state == BookingState.NO_SHOW
    assert services.bookings_mark_no_show() == 0


def test_window_templates_set_by_station_staff_only(world):
    rows = [
        {
            "weekday": 0,
            "start_time": datetime.time(9),
            "end_time": datetime.time(11),
            "capacity": 4,
        }
    ]
    with pytest.raises(PermissionDenied):
        services.window_templates_set(
            station=world.station, rows=rows, actor=world.other_officer
        )
    with pytest.raises(PermissionDenied):
        services.window_templates_set(
            station=world.station, rows=rows, actor=world.district_approver
        )
    templates = services.window_templates_set(
        station=world.station, rows=rows, actor=world.head
    )
    assert [(t.weekday, t.capacity) for t in templates] == [(0, 4)]
    event = AuditEvent.objects.get(action="window_templates_set")
    assert event.changes["after"] == ["0 09:00-11:00 x4"]
    bad = [{**rows[0], "end_time": datetime.time(8)}]
    with pytest.raises(services.BookingRefused):
        services.window_templates_set(station=world.station, rows=bad, actor=world.head)


def test_originals_follow_the_answers_and_members(world):
    from huji.applications.services import originals_to_bring
    from huji.catalog.selectors import item_version_get

    version = item_version_get(code="HJ11-01")
    application = app_factories.draft(world, version, family=2, collective=True)
    names = originals_to_bring(application)
    # Each family member's documents are listed (and ticked) one by one.
    assert "随迁家属《居民身份证》（家属0）" in names
    assert "随迁家属《居民身份证》（家属1）" in names
    assert "随迁家属《居民身份证》" not in names
    # Materials of a family-household destination do not apply here.
    assert not any("产权" in n for n in names)
    assert "本人《居民身份证》" in names


def test_bookings_follow_the_application_and_expiry(world, frozen):
    from huji.applications import services as app_services

    done = app_factories.pre_approved(world)
    done_booking = book(done, make_slot(world.station, day=TUESDAY))
    app_services.application_complete(
        application=done,
        officer=world.officer,
        originals_checked=["居民身份证"],
        issued={"note": "户口簿新页"},
    )
    late = app_factories.pre_approved(world, resident=world.other_resident)
    with pytest.raises(services.BookingRefused, match="2026-12-30"):
        book(late, make_slot(world.station, day=datetime.date(2027, 1, 4)))
    slot = make_slot(world.station, day=datetime.date(2026, 12, 29))
    late_booking = book(late, slot)
    # 30 days later the visit deadline has passed: the command closes it.
    frozen.move_to("2027-01-01 09:00:00+08:00")
    call_command("appointments_remind")
    late.refresh_from_db()
    late_booking.refresh_from_db()
    done_booking.refresh_from_db()
    slot.refresh_from_db()
    assert late.state == State.CLOSED_NO_VISIT
    assert late_booking.state == BookingState.CANCELLED
    assert slot.booked == 0
    assert done_booking.state == BookingState.ATTENDED
