"""Public JSON API of the working-day calendar, under /api/v1/workdays/.

All parameters are declared as strings and parsed here, so that every bad input
is a 400 ``{"detail": ..., "parameter": ...}`` naming the parameter (never Ninja's
422).
"""

import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from huji.workdays import selectors, services
from huji.workdays.constants import MAX_YEAR, MIN_YEAR
from huji.workdays.parsing import BadParameter, parse_date, parse_int

router = Router(tags=["workdays"])


class ErrorOut(Schema):
    detail: str
    parameter: str


class AddOut(Schema):
    start: datetime.date
    days: int
    date: datetime.date
    provisional: bool


class BetweenOut(Schema):
    start: datetime.date
    end: datetime.date
    working_days: int
    provisional: bool


class DayOut(Schema):
    date: datetime.date
    working: bool
    kind: str
    name: str
    provisional: bool
    source: str


class ScheduleDayOut(Schema):
    date: datetime.date
    name: str


class YearOut(Schema):
    year: int
    provisional: bool
    source: str
    announced_on: datetime.date | None
    notice: str
    holidays: list[ScheduleDayOut]
    makeup_workdays: list[ScheduleDayOut]
    working_days: int


def _bad(exc: BadParameter):
    return Status(400, {"detail": exc.message, "parameter": exc.parameter})


@router.get(
    "/add",
    response={200: AddOut, 400: ErrorOut},
    summary="加工作日 / add working days",
    description=(
        "The deadline of a `days`-working-day limit starting on `start` (start is "
        "day 0). `provisional` is true when a year involved has no announced "
        "schedule."
    ),
)
def add(request, start: str | None = None, days: str | None = None):
    try:
        start_date = parse_date(start, "start")
        n = parse_int(days, "days", minimum=0)
        result = services.add_working_days(start_date, n)
    except BadParameter as exc:
        return _bad(exc)
    except ValueError as exc:
        return _bad(BadParameter("days", str(exc)))
    return {
        "start": start_date,
        "days": n,
        "date": result.date,
        "provisional": result.provisional,
    }


@router.get(
    "/between",
    response={200: BetweenOut, 400: ErrorOut},
    summary="两日期间的工作日数 / working days between",
    description="Working days after `start` up to and including `end`.",
)
def between(request, start: str | None = None, end: str | None = None):
    try:
        start_date = parse_date(start, "start")
        end_date = parse_date(end, "end")
    except BadParameter as exc:
        return _bad(exc)
    result = services.working_days_between_result(start_date, end_date)
    return {
        "start": start_date,
        "end": end_date,
        "working_days": result.days,
        "provisional": result.provisional,
    }


@router.get(
    "/day/{day}",
    response={200: DayOut, 400: ErrorOut},
    summary="某日是否工作日 / is a day a working day",
)
def day(request, day: str):
    try:
        parsed = parse_date(day, "date")
    except BadParameter as exc:
        return _bad(exc)
    info = services.day_info(parsed)
    return info.__dict__


@router.get(
    "/year/{year}",
    response={200: YearOut, 400: ErrorOut},
    summary="年度放假安排 / a year's schedule",
)
def year(request, year: str):
    try:
        number = parse_int(year, "year", minimum=0)
        schedule = selectors.year_schedule(number)
    except BadParameter as exc:
        return _bad(exc)
    except ValueError:
        message = _(
            "year 须在 %(min)s–%(max)s 之间 / year must be within %(min)s–%(max)s"
        ) % {"min": MIN_YEAR, "max": MAX_YEAR}
        return _bad(BadParameter("year", message))
    announced = schedule.announced
    return {
        "year": schedule.year,
        "provisional": schedule.provisional,
        "source": schedule.source,
        "announced_on": announced.announced_on if announced else None,
        "notice": announced.source if announced else "",
        "holidays": [{"date": d.date, "name": d.name} for d in schedule.holidays],
        "makeup_workdays": [
            {"date": d.date, "name": d.name} for d in schedule.makeup_workdays
        ],
        "working_days": schedule.working_days,
    }
