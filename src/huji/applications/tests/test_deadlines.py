"""Deadlines of applications: the review clock stops while a correction is with
the resident (here across the 2025 National Day holiday), reminders and
escalation, and recomputation when the working-day schedule changes."""

import datetime

import pytest
import time_machine

from huji.applications import services
from huji.applications.models import Application
from huji.applications.tests import factories as f
from huji.notifications.models import Message
from huji.workflow.models import StageClock

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(day: str, hour: int = 10):
    return time_machine.travel(
        datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=TZ), tick=False
    )


def test_correction_across_national_day_stops_the_review_clock(world):
    version = f.make_version(time_limits={"review": 10, "visit_valid_days": 30})
    with at("2025-09-25"):
        application = f.under_review(world, version)
    # 10 working days from Thursday 09-25: 09-26, 09-28 (Sunday, make-up), 09-29,
    # 09-30, 10-09, 10-10, 10-11 (Saturday, make-up), 10-13, 10-14, 10-15.
    assert application.due_on == datetime.date(2025, 10, 15)
    with at("2025-09-29"):
        services.material_verdict_set(
            application=application,
            slot_key="id_card",
            verdict="rejected",
            reason_code="unclear",
            officer=world.officer,
        )
        services.application_return_for_correction(
            application=application, officer=world.officer, items=[]
        )
    application.refresh_from_db()
    assert application.due_on is None
    with at("2025-10-10"):
        services.application_material_add(
            application=application,
            slot_key="id_card",
            upload=f.make_upload(world.resident),
            actor=world.resident,
        )
        services.application_resubmit(application=application, actor=world.resident)
    application.refresh_from_db()
    # With the resident: 09-30, 10-09, 10-10 = three working days (the holiday
    # 10-01..10-08 is not counted), so 10-15 moves to 10-20.
    assert application.due_on == datetime.date(2025, 10, 20)
    with at("2025-10-20", hour=16):
        services.application_claim(application=application, officer=world.officer)
        f.accept_all(application, world.officer)
        services.application_pre_approve(application=application, officer=world.officer)
    clock = StageClock.objects.get(record_id=application.pk, process="household")
    assert clock.on_time is True


def test_due_soon_and_overdue_flags_and_queue_filters(world):
    from huji.applications import selectors

    with at("2026-03-02"):  # Monday
        application = f.submitted(world)
    assert application.due_on == datetime.date(2026, 3, 9)  # 5 working days
    with at("2026-03-05"):
        assert selectors.deadline_flag(application) == ""
        assert not selectors.application_queue(user=world.officer, due="soon")
    with at("2026-03-06"):  # Friday: due on the next working day
        assert selectors.deadline_flag(application) == "soon"
        assert list(selectors.application_queue(user=world.officer, due="soon")) == [
            application
        ]
    with at("2026-03-10"):
        assert selectors.deadline_flag(application) == "overdue"
        assert list(selectors.application_queue(user=world.officer, due="overdue")) == [
            application
        ]


def test_reminder_then_escalation_each_once(world, on_commit):
    with at("2026-03-02"):
        application = f.under_review(world)
    with at("2026-03-06"), on_commit(execute=True):
        assert services.deadlines_remind() == {"reminded": 1, "escalated": 0}
        assert services.deadlines_remind() == {"reminded": 0, "escalated": 0}
    reminder = Message.objects.get(event="application_deadline_near")
    assert reminder.recipient == world.officer
    assert application.number in reminder.subject
    with at("2026-03-10"), on_commit(execute=True):
        assert services.deadlines_remind() == {"reminded": 0, "escalated": 1}
        assert services.deadlines_remind() == {"reminded": 0, "escalated": 0}
    escalation = Message.objects.get(event="application_escalated")
    assert escalation.recipient == world.head
    assert not Message.objects.filter(
        event="application_escalated", recipient=world.other_head
    ).exists()


def test_unclaimed_files_remind_the_station_officers(world, on_commit):
    with at("2026-03-02"):
        f.submitted(world)
    with at("2026-03-06"), on_commit(execute=True):
        services.deadlines_remind()
    recipients = set(
        Message.objects.filter(event="application_deadline_near").values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {world.officer.pk, world.officer2.pk}


def test_tick_command_runs_both_jobs(world, capsys):
    from django.core.management import call_command

    application = f.pre_approved(world)
    Application.objects.filter(pk=application.pk).update(
        visit_due_on=datetime.date(2020, 1, 1)
    )
    call_command("applications_tick")
    assert "closed_no_visit=1" in capsys.readouterr().out
    application.refresh_from_db()
    assert application.state == "closed_no_visit"


def test_schedule_change_moves_open_due_dates_of_applications(world):
    from huji.workdays.signals import schedule_changed

    application = f.submitted(world)
    right = application.due_on
    StageClock.objects.filter(record_id=application.pk).update(
        due_on=datetime.date(2026, 1, 1)
    )
    Application.objects.filter(pk=application.pk).update(
        due_on=datetime.date(2026, 1, 1)
    )
    schedule_changed.send(sender=None, years={right.year})
    application.refresh_from_db()
    assert application.due_on == right


@pytest.mark.parametrize(
    "task_name", ["applications_deadlines_task", "applications_close_expired_task"]
)
def test_tasks_run(world, task_name):
    from huji.applications import tasks

    result = getattr(tasks, task_name).enqueue()
    assert result.status == "SUCCESSFUL"
