"""Stage clocks: deadlines in working days that stop while the applicant holds the
file (a correction) and restart on resubmission.

Dates are local (Asia/Shanghai) calendar dates. A limit of ``n`` working days that
starts on day ``s`` ends on the ``n``-th working day after ``s`` (``s`` itself is not
counted: ``huji.workdays.services.add_working_days``). A pause from ``p`` to ``r``
stops the clock for ``working_days_between(p, r)`` working days, which extend the due
date by as much. Every input is stored (start, limit, pauses), so
``clocks_recompute`` can recompute due dates when the working-day schedule changes.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from huji.workdays.services import add_working_days, working_days_between
from huji.workflow.engine import Process
from huji.workflow.models import StageClock


def today() -> datetime.date:
    return timezone.localdate()


def _process_name(process: Process | str) -> str:
    return process if isinstance(process, str) else process.name


def _due(clock: StageClock) -> None:
    result = add_working_days(
        clock.started_on, clock.limit_days + clock.paused_working_days
    )
    clock.due_on = result.date
    clock.provisional = result.provisional


@transaction.atomic
def clock_start(
    *,
    process: Process | str,
    record_id: int,
    stage: str,
    working_days: int,
    on: datetime.date | None = None,
) -> StageClock:
    """Start a stage's clock (any clock still open for the record is finished
    first: a record is in one stage at a time)."""
    for open_clock in clocks_open(process=process, record_id=record_id):
        clock_finish(clock=open_clock)
    clock = StageClock(
        process=_process_name(process),
        record_id=record_id,
        stage=stage,
        limit_days=max(int(working_days), 0),
        started_on=on or today(),
    )
    _due(clock)
    clock.save()
    return clock


@transaction.atomic
def clock_pause(*, clock: StageClock, on: datetime.date | None = None) -> StageClock:
    if clock.finished_at is not None or clock.paused_on is not None:
        return clock
    clock.paused_on = on or today()
    clock.save(update_fields=["paused_on"])
    return clock


@transaction.atomic
def clock_resume(*, clock: StageClock, on: datetime.date | None = None) -> StageClock:
    """Restart a paused clock: the due date moves by the working days it stood."""
    if clock.paused_on is None:
        return clock
    resumed_on = max(on or today(), clock.paused_on)
    clock.pauses = [
        *clock.pauses,
        [clock.paused_on.isoformat(), resumed_on.isoformat()],
    ]
    clock.paused_working_days = _paused_days(clock.pauses)
    clock.paused_on = None
    _due(clock)
    clock.save(
        update_fields=[
            "pauses",
            "paused_working_days",
            "paused_on",
            "due_on",
            "provisional",
        ]
    )
    return clock


@transaction.atomic
def clock_finish(*, clock: StageClock, at: datetime.datetime | None = None):
    """Stop the clock for good and record whether the stage ended on time."""
    if clock.finished_at is not None:
        return clock
    if clock.paused_on is not None:
        clock_resume(clock=clock)
    clock.finished_at = at or timezone.now()
    clock.on_time = timezone.localdate(clock.finished_at) <= clock.due_on
    clock.save(update_fields=["finished_at", "on_time"])
    return clock


def _paused_days(pauses: Iterable) -> int:
    total = 0
    for start, end in pauses:
        total += max(
            working_days_between(
                datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
            ),
            0,
        )
    return total


def clocks_open(*, process: Process | str, record_id: int) -> QuerySet[StageClock]:
    return StageClock.objects.filter(
        process=_process_name(process), record_id=record_id, finished_at__isnull=True
    )


def clock_current(*, process: Process | str, record_id: int) -> StageClock | None:
    return clocks_open(process=process, record_id=record_id).order_by("-id").first()


def clocks_due_before(
    *, day: datetime.date, process: Process | str | None = None
) -> QuerySet[StageClock]:
    """Open, running clocks due on or before ``day`` (uses the partial index)."""
    qs = StageClock.objects.filter(
        finished_at__isnull=True, paused_on__isnull=True, due_on__lte=day
    )
    if process is not None:
        qs = qs.filter(process=_process_name(process))
    return qs


@transaction.atomic
def clocks_recompute(years: Iterable[int]) -> list[StageClock]:
    """Recompute the due dates of open clocks that a schedule change in ``years``
    can move. Returns the clocks whose due date changed."""
    years = set(years)
    if not years:
        return []
    first = datetime.date(min(years), 1, 1)
    changed = []
    open_clocks = StageClock.objects.select_for_update().filter(
        finished_at__isnull=True, due_on__gte=first
    )
    for clock in open_clocks.iterator(chunk_size=500):
        before = clock.due_on
        clock.paused_working_days = _paused_days(clock.pauses)
        _due(clock)
        if clock.due_on != before:
            clock.save(update_fields=["due_on", "provisional", "paused_working_days"])
            changed.append(clock)
    return changed
