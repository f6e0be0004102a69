"""Reads of the calendar that pages, the API and the admin share."""

import datetime
from dataclasses import dataclass

from huji.workdays import calendar
from huji.workdays.constants import MAX_YEAR, MIN_YEAR, DayKind
from huji.workdays.models import AnnouncedYear


@dataclass(frozen=True)
class ScheduleDay:
    date: datetime.date
    kind: str
    name: str


@dataclass(frozen=True)
class YearSchedule:
    year: int
    source: str
    provisional: bool
    announced: AnnouncedYear | None
    holidays: list[ScheduleDay]
    makeup_workdays: list[ScheduleDay]
    working_days: int


def year_schedule(year: int) -> YearSchedule:
    """A year's holidays and make-up working days, from whichever source applies."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise calendar.OutOfRange(year)
    cal = calendar.year_calendar(year)
    announced = AnnouncedYear.objects.filter(year=year).first()
    return YearSchedule(
        year=year,
        source=str(cal.source),
        provisional=cal.provisional,
        announced=announced,
        holidays=[
            ScheduleDay(d, DayKind.HOLIDAY.value, n)
            for d, n in sorted(cal.holidays.items())
        ],
        makeup_workdays=[
            ScheduleDay(d, DayKind.MAKEUP_WORKDAY.value, n)
            for d, n in sorted(cal.makeup_workdays.items())
        ],
        working_days=cal.cumulative[-1],
    )


def announced_years() -> list[int]:
    return list(AnnouncedYear.objects.order_by("year").values_list("year", flat=True))
