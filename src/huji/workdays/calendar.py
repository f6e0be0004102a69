"""The working-day calendar itself: one ``YearCalendar`` per year, cached in memory.

Precedence for a year (see docs/workdays.md):

1. an ``AnnouncedYear`` row: the operator table (``SpecialDay``) exactly;
2. a year chinese-calendar knows: its data;
3. otherwise: ``holidays.China`` statutory rules (weekends off, statutory holidays
   and their 补假 off, no make-up working days), marked *provisional*.

Only ``services`` and ``selectors`` use this module; other apps import those.
"""

import bisect
import datetime
import threading
from dataclasses import dataclass, field
from time import monotonic

from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import Count, Max
from django.dispatch import receiver

from huji.workdays.constants import (
    HOLIDAY_NAMES_ZH,
    MAX_YEAR,
    MIN_YEAR,
    DayKind,
    Source,
)


class OutOfRange(ValueError):
    """A date the calendar does not cover (before 2004 or after 2100)."""


@dataclass(frozen=True)
class YearCalendar:
    year: int
    source: str
    holidays: dict[datetime.date, str]
    makeup_workdays: dict[datetime.date, str]
    # Ordinals of the year's working days, ascending.
    working: list[int] = field(repr=False)
    # first_ordinal: ordinal of 1 January; cumulative[i] = working days among the
    # first i days of the year.
    first_ordinal: int = field(repr=False)
    cumulative: list[int] = field(repr=False)

    @property
    def provisional(self) -> bool:
        return self.source == Source.PROVISIONAL

    def is_working(self, day: datetime.date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def name_of(self, day: datetime.date) -> str:
        return self.makeup_workdays.get(day) or self.holidays.get(day) or ""

    @classmethod
    def build(cls, year, source, holidays, makeup_workdays) -> "YearCalendar":
        first = datetime.date(year, 1, 1).toordinal()
        last = datetime.date(year, 12, 31).toordinal()
        working: list[int] = []
        cumulative = [0]
        for ordinal in range(first, last + 1):
            day = datetime.date.fromordinal(ordinal)
            if day in makeup_workdays or (day not in holidays and day.weekday() < 5):
                working.append(ordinal)
            cumulative.append(len(working))
        return cls(
            year=year,
            source=source,
            holidays=dict(holidays),
            makeup_workdays=dict(makeup_workdays),
            working=working,
            first_ordinal=first,
            cumulative=cumulative,
        )


def _package_year(year: int) -> YearCalendar | None:
    from chinese_calendar import constants

    def zh(value) -> str:
        value = getattr(value, "value", value)
        if isinstance(value, tuple):
            value = value[0]
        return HOLIDAY_NAMES_ZH.get(value, value or "")

    holidays = {d: zh(v) for d, v in constants.holidays.items() if d.year == year}
    if not holidays:
        return None
    makeup = {d: zh(v) for d, v in constants.workdays.items() if d.year == year}
    return YearCalendar.build(year, Source.PACKAGE, holidays, makeup)


def _provisional_year(year: int) -> YearCalendar:
    import holidays as holidays_package

    china = holidays_package.China(years=year, language="zh_CN")
    holidays = {d: str(name) for d, name in china.items() if d.year == year}
    return YearCalendar.build(year, Source.PROVISIONAL, holidays, {})


def _announced_year(year: int) -> YearCalendar:
    from huji.workdays.models import SpecialDay

    holidays, makeup = {}, {}
    for day in SpecialDay.objects.filter(year=year).only("date", "kind", "name"):
        target = makeup if day.kind == DayKind.MAKEUP_WORKDAY else holidays
        target[day.date] = day.name
    return YearCalendar.build(year, Source.ANNOUNCED, holidays, makeup)


class _Cache:
    """Per-process cache of year calendars.

    Writes in this process clear it at once (``invalidate``). Other processes (the
    task worker, other web workers) notice a change by a cheap stamp query on
    ``AnnouncedYear`` at most every ``HUJI_WORKDAYS_RECHECK_SECONDS`` (default 30).
    """

    def __init__(self):
        self._lock = threading.RLock()
        self._years: dict[int, YearCalendar] = {}
        self._announced: frozenset[int] | None = None
        self._stamp = None
        self._checked_at = 0.0
        self._interval: float | None = None

    def invalidate(self) -> None:
        with self._lock:
            self._years = {}
            self._announced = None
            self._stamp = None
            self._checked_at = 0.0
            self._interval = None

    def _db_stamp(self):
        from huji.workdays.models import AnnouncedYear

        row = AnnouncedYear.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
        return (row["n"], row["last"])

    def _recheck(self) -> None:
        now = monotonic()
        if self._interval is not None and now - self._checked_at < self._interval:
            return
        self._interval = getattr(settings, "HUJI_WORKDAYS_RECHECK_SECONDS", 30)
        stamp = self._db_stamp()
        if stamp != self._stamp:
            from huji.workdays.models import AnnouncedYear

            self._years = {}
            self._announced = frozenset(
                AnnouncedYear.objects.values_list("year", flat=True)
            )
            self._stamp = stamp
        self._checked_at = now

    def year(self, year: int) -> YearCalendar:
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise OutOfRange(year)
        with self._lock:
            self._recheck()
            calendar = self._years.get(year)
            if calendar is None:
                if year in self._announced:
                    calendar = _announced_year(year)
                else:
                    calendar = _package_year(year) or _provisional_year(year)
                self._years[year] = calendar
            return calendar


cache = _Cache()


@receiver(setting_changed)
def _recheck_setting_changed(*, setting, **kwargs):
    if setting == "HUJI_WORKDAYS_RECHECK_SECONDS":
        cache.invalidate()


def year_calendar(year: int) -> YearCalendar:
    return cache.year(year)


def is_working(day: datetime.date) -> bool:
    return cache.year(day.year).is_working(day)


def add(start: datetime.date, n: int) -> tuple[datetime.date, bool]:
    """The n-th working day after ``start`` (``start`` itself is day 0), and
    whether any year consulted was provisional."""
    if n == 0:
        return start, cache.year(start.year).provisional
    ordinal = start.toordinal()
    year = start.year
    provisional = False
    while True:
        calendar = cache.year(year)
        provisional = provisional or calendar.provisional
        position = bisect.bisect_right(calendar.working, ordinal)
        available = len(calendar.working) - position
        if n <= available:
            found = datetime.date.fromordinal(calendar.working[position + n - 1])
            return found, provisional
        n -= available
        year += 1


def count(start: datetime.date, end: datetime.date) -> tuple[int, bool]:
    """Working days d with start < d <= end (negative when end is before start)."""
    if end < start:
        days, provisional = count(end, start)
        return -days, provisional
    total = 0
    provisional = False
    for year in range(start.year, end.year + 1):
        calendar = cache.year(year)
        provisional = provisional or calendar.provisional
        total += calendar.cumulative[-1]
    first = cache.year(start.year)
    last = cache.year(end.year)
    total -= first.cumulative[start.toordinal() - first.first_ordinal + 1]
    total -= (
        last.cumulative[-1] - last.cumulative[end.toordinal() - last.first_ordinal + 1]
    )
    return total, provisional
