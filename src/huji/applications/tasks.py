"""Periodic work: deadline reminders and escalation, closing applications whose
visit deadline passed. Run them every few minutes (``huji applications_tick`` from
cron or a systemd timer, or enqueue these tasks from the worker). Both are
idempotent."""

from django.tasks import task

from huji.applications import services


@task()
def applications_deadlines_task() -> dict:
    return services.deadlines_remind()


@task()
def applications_close_expired_task() -> int:
    return services.applications_close_expired()
