"""Window hours, slots and bookings for tests, on top of the applications
factories (``World`` and one helper per application state)."""

import datetime

from django.utils import timezone

from huji.appointments import services
from huji.appointments.models import WindowSlot, WindowSlotTemplate


def weekday_hours(station, *, capacity: int = 2) -> list[WindowSlotTemplate]:
    """Monday to Friday, 09:00–10:00 and 14:00–15:00."""
    rows = []
    for weekday in range(5):
        for start, end in ((9, 10), (14, 15)):
            rows.append(
                WindowSlotTemplate(
                    station=station,
                    weekday=weekday,
                    start_time=datetime.time(start),
                    end_time=datetime.time(end),
                    capacity=capacity,
                )
            )
    return WindowSlotTemplate.objects.bulk_create(rows)


def make_slot(station, *, day: datetime.date, hour: int = 9, capacity: int = 2):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time(hour), tz)
    return WindowSlot.objects.create(
        station=station,
        start=start,
        end=start + datetime.timedelta(hours=1),
        capacity=capacity,
    )


def book(application, slot, actor=None):
    return services.booking_create(
        application=application, slot=slot, actor=actor or application.applicant
    )
