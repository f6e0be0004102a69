"""``huji demo``: a ready-to-use platform on SQLite with demo data.

Migrates the database (reference data arrives with the migrations), lets each app
seed its demo records through its ``demo.seed()`` function, prints the demo
accounts, then runs the web server and the background worker until Ctrl-C.
"""

import importlib
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import BaseCommand, call_command

# Order matters: later seeders use what earlier ones created.
SEEDERS = [
    "huji.organizations.demo",
    "huji.workdays.demo",
    "huji.accounts.demo",
    "huji.catalog.demo",
    "huji.materials.demo",
    "huji.applications.demo",
    "huji.appointments.demo",
    "huji.residence.demo",
]


class Command(BaseCommand):
    help = "Migrate, load demo data, then run the web server and the task worker."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-serve", action="store_true", help="Load the data and stop."
        )

    def handle(self, *args, addr: str, no_serve: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("数据库已就绪 / database ready"))
        lines: list[str] = []
        for module_name in SEEDERS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            lines.extend(module.seed())
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("演示账户 / Demo accounts"))
        for line in lines:
            self.stdout.write("  " + line)
        self.stdout.write("")
        if no_serve:
            return
        self._serve(addr)

    def _serve(self, addr: str) -> None:
        huji = [sys.executable, "-m", "huji.cli"]
        processes = [
            subprocess.Popen([*huji, "runserver", addr, "--noreload"]),
            subprocess.Popen([*huji, "db_worker", "--interval", "1", "--no-reload"]),
            subprocess.Popen(
                [*huji, "tick", "--every", "300"], stdout=subprocess.DEVNULL
            ),
        ]
        self.stdout.write(
            self.style.SUCCESS(
                f"Huji is running at http://{addr}/ (task worker and periodic jobs "
                "started). "
                "Press Ctrl-C to stop both."
            )
        )
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
            self.stdout.write("Stopped.")
