"""``huji tick``: all of the platform's periodic work, in one command.

Each job is idempotent, so running ``tick`` more often than needed is harmless:

    */5 * * * * cd /srv/huji && .venv/bin/huji tick

``--every SECONDS`` keeps running (the demo starts it that way). One job failing
is reported and does not stop the others.
"""

import time

from django.core.management import BaseCommand, call_command

JOBS = [
    # (command, what it does)
    ("applications_tick", "deadline reminders, escalation, closing expired visits"),
    ("appointments_remind", "visit reminders, no-shows, bookings in step"),
    ("residence_tick", "endorsement reminders"),
    ("materials_cleanup", "removing unclaimed uploads"),
    ("sign_in_codes_purge", "removing spent sign-in codes"),
]


class Command(BaseCommand):
    help = "Run every periodic job once (or every N seconds with --every)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, metavar="SECONDS")

    def handle(self, *args, every: int, **options):
        while True:
            failures = self._run_once()
            if not every:
                if failures:
                    raise SystemExit(1)
                return
            time.sleep(every)

    def _run_once(self) -> int:
        failures = 0
        for name, _purpose in JOBS:
            try:
                if name == "sign_in_codes_purge":
                    from huji.accounts.services import sign_in_codes_purge

                    self.stdout.write(f"{name}: deleted={sign_in_codes_purge()}")
                    continue
                self.stdout.write(f"{name}: ", ending="")
                call_command(name, stdout=self.stdout, stderr=self.stderr)
            except Exception as exc:  # one job's failure must not stop the rest
                failures += 1
                self.stderr.write(f"{name} failed: {exc.__class__.__name__}: {exc}")
        return failures
