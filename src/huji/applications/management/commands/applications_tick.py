"""``huji applications_tick``: the periodic work of household applications.

Run it every few minutes, e.g. from cron::

    */5 * * * * cd /srv/huji && .venv/bin/huji applications_tick

It reminds officers of deadlines that are near, escalates overdue ones to the
station head, and closes pre-approved applications whose visit deadline passed.
Safe to run as often as you like (idempotent)."""

from django.core.management.base import BaseCommand

from huji.applications import services


class Command(BaseCommand):
    help = "Deadline reminders / escalation and closing expired pre-approvals."

    def handle(self, *args, **options):
        deadlines = services.deadlines_remind()
        closed = services.applications_close_expired()
        self.stdout.write(
            f"reminded={deadlines['reminded']} escalated={deadlines['escalated']} "
            f"closed_no_visit={closed}"
        )
