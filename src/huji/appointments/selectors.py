"""Reads of window slots and bookings."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from huji.appointments.constants import BookingState
from huji.appointments.models import Booking, WindowSlotTemplate


def window_templates_for(*, station) -> QuerySet[WindowSlotTemplate]:
    return WindowSlotTemplate.objects.filter(station=station).order_by(
        "weekday", "start_time"
    )


def bookings_for_station_day(
    *, station, day: datetime.date, states=(BookingState.BOOKED, BookingState.ATTENDED)
) -> QuerySet[Booking]:
    """A station's bookings on ``day``, by time (the window's list for the day)."""
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(day, datetime.time.min, tz)
    return (
        Booking.objects.filter(
            slot__station=station,
            slot__start__gte=since,
            slot__start__lt=since + datetime.timedelta(days=1),
            state__in=states,
        )
        .select_related("slot", "application")
        .order_by("slot__start", "created_at")
    )


def booking_for_station(*, station, pk: int) -> Booking:
    """One booking of ``station`` (any other: ``Booking.DoesNotExist``)."""
    return Booking.objects.select_related("slot", "slot__station", "application").get(
        pk=pk, slot__station=station
    )


def bookings_of_application(*, application) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(application=application)
        .select_related("slot", "slot__station")
        .order_by("-created_at")
    )
