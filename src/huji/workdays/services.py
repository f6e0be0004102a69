"""The working-day calendar: the public API for other apps.

Reads: ``is_working_day``, ``add_working_days``, ``working_days_between`` (and
``working_days_between_result`` with the provisional flag), ``next_working_day``,
``day_info``. Writes (operators): ``schedule_announce``, ``announced_year_withdraw``.
Every write sends ``huji.workdays.signals.schedule_changed`` after commit.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from huji.audit.services import audit_record
from huji.workdays import calendar
from huji.workdays.calendar import OutOfRange
from huji.workdays.constants import MAX_YEAR, MIN_YEAR, DayKind
from huji.workdays.models import AnnouncedYear, SpecialDay
from huji.workdays.signals import schedule_changed

__all__ = [
    "DayInfo",
    "OutOfRange",
    "ScheduleNotAnnounced",
    "SpecialDayInput",
    "WorkdayCount",
    "WorkdayResult",
    "add_working_days",
    "announced_year_withdraw",
    "calendar_cache_clear",
    "day_info",
    "is_working_day",
    "next_working_day",
    "schedule_announce",
    "schedule_edited",
    "working_days_between",
    "working_days_between_result",
]


class ScheduleNotAnnounced(ValueError):
    """Raised with ``allow_provisional=False`` when a result depends on a year whose
    schedule is neither announced nor known to chinese-calendar."""


@dataclass(frozen=True)
class WorkdayResult:
    date: datetime.date
    provisional: bool


@dataclass(frozen=True)
class WorkdayCount:
    days: int
    provisional: bool


@dataclass(frozen=True)
class DayInfo:
    date: datetime.date
    working: bool
    # "holiday", "makeup_workday", "weekend" or "workday"
    kind: str
    name: str
    provisional: bool
    source: str


@dataclass(frozen=True)
class SpecialDayInput:
    date: datetime.date
    kind: str
    name: str


# ----------------------------------------------------------------------- reads


def _check_date(value, parameter: str) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValueError(
            _("%(parameter)s 须为日期 / %(parameter)s must be a date")
            % {"parameter": parameter}
        )
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise OutOfRange(
            _(
                "%(parameter)s 超出支持范围（%(min)s–%(max)s 年）"
                " / %(parameter)s is outside the supported years %(min)s–%(max)s"
            )
            % {"parameter": parameter, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return value


def _refuse_provisional(provisional: bool, allow_provisional: bool) -> None:
    if provisional and not allow_provisional:
        raise ScheduleNotAnnounced(
            _(
                "结果依赖尚未公布放假安排的年份 / the result depends on a year whose "
                "holiday schedule has not been announced"
            )
        )


def is_working_day(day: datetime.date) -> bool:
    """Whether ``day`` is a working day (provisional for unannounced years)."""
    _check_date(day, "date")
    return calendar.is_working(day)


def add_working_days(
    start: datetime.date, n: int, *, allow_provisional: bool = True
) -> WorkdayResult:
    """The deadline of an ``n``-working-day time limit that starts on ``start``.

    ``start`` is day 0 and is not counted, whether or not it is a working day; the
    result is the ``n``-th working day after it (``n == 0`` gives ``start``).
    Example: ``add_working_days(date(2025, 9, 30), 6)`` is 2025-10-15 (10-01..08 off,
    then 10-09, 10-10, 10-11 (Saturday, make-up), 10-13, 10-14, 10-15).

    ``provisional`` is true when a year from ``start`` to the result has no announced
    schedule; with ``allow_provisional=False`` that raises ``ScheduleNotAnnounced``.
    """
    _check_date(start, "start")
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValueError(_("days 须为整数 / days must be an integer"))
    if n < 0:
        raise ValueError(_("days 不能为负数 / days must not be negative"))
    try:
        found, provisional = calendar.add(start, n)
    except OutOfRange:
        raise OutOfRange(
            _("days 过大，超出 %(max)s 年 / days goes beyond the year %(max)s")
            % {"max": MAX_YEAR}
        ) from None
    _refuse_provisional(provisional, allow_provisional)
    return WorkdayResult(date=found, provisional=provisional)


def working_days_between_result(
    start: datetime.date, end: datetime.date, *, allow_provisional: bool = True
) -> WorkdayCount:
    """Working days after ``start`` up to and including ``end`` (the inverse of
    ``add_working_days``: ``between(s, add(s, n).date) == n``); negative when
    ``end`` is before ``start``."""
    _check_date(start, "start")
    _check_date(end, "end")
    days, provisional = calendar.count(start, end)
    _refuse_provisional(provisional, allow_provisional)
    return WorkdayCount(days=days, provisional=provisional)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    return working_days_between_result(start, end).days


def next_working_day(day: datetime.date) -> datetime.date:
    """The first working day strictly after ``day``."""
    return add_working_days(day, 1).date


def day_info(day: datetime.date) -> DayInfo:
    _check_date(day, "date")
    year = calendar.year_calendar(day.year)
    if day in year.makeup_workdays:
        kind = DayKind.MAKEUP_WORKDAY.value
    elif day in year.holidays:
        kind = DayKind.HOLIDAY.value
    else:
        kind = "weekend" if day.weekday() >= 5 else "workday"
    return DayInfo(
        date=day,
        working=year.is_working(day),
        kind=kind,
        name=year.name_of(day),
        provisional=year.provisional,
        source=str(year.source),
    )


def calendar_cache_clear() -> None:
    """Forget the cached calendars of this process (tests; after raw SQL edits)."""
    calendar.cache.invalidate()


# ---------------------------------------------------------------------- writes

OPERATOR_ROLES = {"system_admin", "city_approver"}


def _check_operator(actor) -> None:
    """Operators: superusers, holders of ``workdays.change_specialday``, and the
    city's population office / system administrators. ``None`` is the console
    (management command, data migration)."""
    if actor is None:
        return
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("需要登录 / sign-in required"))
    if (
        actor.is_superuser
        or getattr(actor, "role", "") in OPERATOR_ROLES
        or actor.has_perm("workdays.change_specialday")
    ):
        return
    raise PermissionDenied(
        _("无权维护节假日安排 / not allowed to edit the holiday schedule")
    )


def schedule_changed_after_commit(years: Iterable[int]) -> None:
    """Clear this process's cache now and again after commit, then send
    ``schedule_changed`` with the years. Used by the services and the admin."""
    years = {int(y) for y in years}
    calendar.cache.invalidate()

    def send():
        calendar.cache.invalidate()
        schedule_changed.send(sender=AnnouncedYear, years=set(years))

    transaction.on_commit(send)


def _validate_days(year: int, days: list[SpecialDayInput]) -> None:
    seen = set()
    for day in days:
        if day.date.year != year:
            raise ValueError(
                _("date %(date)s 不在 %(year)s 年 / date %(date)s is not in %(year)s")
                % {"date": day.date, "year": year}
            )
        if day.date in seen:
            raise ValueError(
                _("date %(date)s 重复 / date %(date)s appears twice")
                % {"date": day.date}
            )
        seen.add(day.date)
        if day.kind not in DayKind.values:
            raise ValueError(
                _(
                    "kind 须为 holiday 或 makeup_workday / kind must be holiday or "
                    "makeup_workday"
                )
            )
        if day.kind == DayKind.MAKEUP_WORKDAY and day.date.weekday() < 5:
            raise ValueError(
                _(
                    "date %(date)s：调休上班日应为周六或周日 / a make-up working day "
                    "must be a Saturday or Sunday"
                )
                % {"date": day.date}
            )
        if not day.name.strip():
            raise ValueError(_("name 不能为空 / name is required"))


@transaction.atomic
def schedule_announce(
    *,
    year: int,
    days: list[SpecialDayInput],
    announced_on: datetime.date | None = None,
    source: str = "",
    actor=None,
    request=None,
) -> AnnouncedYear:
    """Enter (or replace) the announced schedule of ``year``: its holidays and
    make-up working days, exactly as the State Council notice lists them."""
    _check_operator(actor)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(
            _("year 须在 %(min)s–%(max)s 之间 / year must be within %(min)s–%(max)s")
            % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    _validate_days(year, days)
    before = sorted(
        (str(d.date), d.kind, d.name) for d in SpecialDay.objects.filter(year=year)
    )
    announced, created = AnnouncedYear.objects.get_or_create(
        year=year,
        defaults={
            "announced_on": announced_on,
            "source": source,
            "entered_by": actor if actor is not None else None,
        },
    )
    if not created:
        announced.announced_on = announced_on
        announced.source = source
        announced.entered_by = actor
        announced.save(
            update_fields=["announced_on", "source", "entered_by", "updated_at"]
        )
    SpecialDay.objects.filter(year=year).delete()
    SpecialDay.objects.bulk_create(
        SpecialDay(date=d.date, kind=d.kind, name=d.name.strip(), year=year)
        for d in days
    )
    after = sorted((str(d.date), d.kind, d.name.strip()) for d in days)
    audit_record(
        actor=actor,
        action="workdays:announce",
        obj=announced,
        request=request,
        changes={"year": year, "before": before, "after": after},
    )
    schedule_changed_after_commit({year})
    return announced


@transaction.atomic
def announced_year_withdraw(*, year: int, actor=None, request=None) -> None:
    """Remove a year's announcement and its days: the year falls back to the
    package or to the provisional rules."""
    _check_operator(actor)
    announced = AnnouncedYear.objects.select_for_update().filter(year=year).first()
    if announced is None:
        raise ValueError(
            _("year %(year)s 没有已公布的安排 / no announced schedule for %(year)s")
            % {"year": year}
        )
    days = SpecialDay.objects.filter(year=year)
    before = sorted((str(d.date), d.kind, d.name) for d in days)
    days.delete()
    audit_record(
        actor=actor,
        action="workdays:withdraw",
        obj=announced,
        request=request,
        changes={"year": year, "before": before},
    )
    announced.delete()
    schedule_changed_after_commit({year})


@transaction.atomic
def schedule_edited(
    *,
    years: Iterable[int],
    action: str,
    actor=None,
    request=None,
    changes: dict | None = None,
) -> None:
    """Record an edit made row by row (the Django admin): audit it, mark the years
    changed for other processes, and send ``schedule_changed`` after commit."""
    from django.utils import timezone

    _check_operator(actor)
    years = sorted({int(y) for y in years})
    AnnouncedYear.objects.filter(year__in=years).update(updated_at=timezone.now())
    audit_record(
        actor=actor,
        action=action,
        object_type="workdays.announcedyear",
        object_id=",".join(str(y) for y in years),
        request=request,
        changes=changes or {},
    )
    schedule_changed_after_commit(years)
