"""Stage clocks across the 2025 National Day holiday (10-01..10-08 off; Sunday
09-28 and Saturday 10-11 are make-up working days)."""

import datetime

import pytest
import time_machine

from huji.workflow import clocks
from huji.workflow.models import StageClock

D = datetime.date


@pytest.mark.django_db
def test_due_date_counts_working_days_over_the_holiday():
    clock = clocks.clock_start(
        process="t", record_id=1, stage="review", working_days=5, on=D(2025, 9, 26)
    )
    # 09-28 (Sun, make-up), 09-29, 09-30, 10-09, 10-10.
    assert clock.due_on == D(2025, 10, 10)


@pytest.mark.django_db
def test_pause_over_the_holiday_moves_the_due_date_by_the_working_days_paused():
    clock = clocks.clock_start(
        process="t", record_id=1, stage="review", working_days=10, on=D(2025, 9, 25)
    )
    # 09-26, 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13, 10-14, 10-15.
    assert clock.due_on == D(2025, 10, 15)
    clocks.clock_pause(clock=clock, on=D(2025, 9, 29))
    assert clocks.clocks_due_before(day=D(2026, 1, 1)).count() == 0
    clocks.clock_resume(clock=clock, on=D(2025, 10, 10))
    clock.refresh_from_db()
    # Stood still for 09-30, 10-09, 10-10: three working days (the holiday is
    # not counted), so the due date moves from 10-15 to 10-20 (10-16, 10-17, 10-20).
    assert clock.paused_working_days == 3
    assert clock.pauses == [["2025-09-29", "2025-10-10"]]
    assert clock.due_on == D(2025, 10, 20)
    assert clocks.clocks_due_before(day=D(2025, 10, 20)).get() == clock


@pytest.mark.django_db
def test_pause_inside_the_holiday_costs_nothing():
    clock = clocks.clock_start(
        process="t", record_id=1, stage="review", working_days=3, on=D(2025, 9, 29)
    )
    assert clock.due_on == D(2025, 10, 10)  # 09-30, 10-09, 10-10
    clocks.clock_pause(clock=clock, on=D(2025, 10, 2))
    clocks.clock_resume(clock=clock, on=D(2025, 10, 8))
    clock.refresh_from_db()
    assert clock.paused_working_days == 0
    assert clock.due_on == D(2025, 10, 10)


@pytest.mark.django_db
def test_finish_records_on_time_or_late():
    clock = clocks.clock_start(
        process="t", record_id=1, stage="review", working_days=2, on=D(2025, 9, 29)
    )
    with time_machine.travel(datetime.datetime(2025, 10, 9, 10, tzinfo=datetime.UTC)):
        clocks.clock_finish(clock=clock)
    assert clock.on_time is True
    late = clocks.clock_start(
        process="t", record_id=2, stage="review", working_days=2, on=D(2025, 9, 29)
    )
    with time_machine.travel(datetime.datetime(2025, 10, 13, 10, tzinfo=datetime.UTC)):
        clocks.clock_finish(clock=late)
    assert late.on_time is False


@pytest.mark.django_db
def test_starting_a_stage_finishes_the_previous_one():
    first = clocks.clock_start(process="t", record_id=1, stage="review", working_days=5)
    second = clocks.clock_start(
        process="t", record_id=1, stage="district", working_days=5
    )
    first.refresh_from_db()
    assert first.finished_at is not None
    assert clocks.clock_current(process="t", record_id=1) == second


@pytest.mark.django_db
def test_schedule_change_recomputes_open_due_dates():
    """An operator announcing an extra holiday moves open deadlines."""
    from huji.workdays import services as workdays

    clock = clocks.clock_start(
        process="t", record_id=1, stage="review", working_days=5, on=D(2031, 3, 3)
    )
    before = clock.due_on
    done = clocks.clock_start(
        process="t", record_id=2, stage="review", working_days=5, on=D(2031, 3, 3)
    )
    clocks.clock_finish(clock=done)
    StageClock.objects.filter(pk=clock.pk).update(due_on=D(2031, 1, 1))
    changed = clocks.clocks_recompute({2031})
    clock.refresh_from_db()
    assert clock.due_on == before
    assert [c.pk for c in changed] == [clock.pk]
    assert workdays.is_working_day(before)
