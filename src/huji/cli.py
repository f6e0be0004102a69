"""The ``huji`` console command: Django's management commands, with Huji's settings.

huji demo            start the demo (SQLite, demo data, server and worker)
huji worker          run the background task worker
huji migrate         apply database migrations
huji workdays add 2025-09-30 6
huji sms outbox      messages kept by the development SMS backend
huji check --deploy
"""

import os
import sys

ALIASES = {"worker": "db_worker"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huji.conf.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    argv[0] = "huji"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
