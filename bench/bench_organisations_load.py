"""How long loading the organisation tree takes (the data migration runs it in
every fresh database, test databases included), and a jurisdiction look-up.

    cd /work/main && .venv/bin/python bench/bench_organisations_load.py [--repeat 7]

Uses throw-away SQLite databases, or PostgreSQL with ``--database-url``. Each round
empties the two tables, then times a full load (250 divisions, 488 organisations),
an idempotent reload (nothing to change), and 1,000 ``jurisdiction_resolve`` calls.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="huji-bench-")
    os.environ["HUJI_DATA_DIR"] = tmp
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/b.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huji.conf.settings_test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "organizations", verbosity=0, skip_checks=True)
    from huji.organizations.loader import organisations_load
    from huji.organizations.models import Division, Organisation
    from huji.organizations.selectors import jurisdiction_resolve

    streets = list(
        Division.objects.filter(level="street").values_list("code", flat=True)
    )
    full, reload, resolve = [], [], []
    for _ in range(args.repeat):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE organizations_division "
                "SET police_station_id = NULL, service_center_id = NULL"
            )
            cursor.execute("UPDATE organizations_division SET parent_id = NULL")
            cursor.execute("UPDATE organizations_organisation SET parent_id = NULL")
            cursor.execute("DELETE FROM organizations_organisation")
            cursor.execute("DELETE FROM organizations_division")
        started = time.perf_counter()
        result = organisations_load()
        full.append(time.perf_counter() - started)
        assert result.organisations_created == Organisation.objects.count()
        started = time.perf_counter()
        organisations_load()
        reload.append(time.perf_counter() - started)
        started = time.perf_counter()
        for n in range(1000):
            jurisdiction_resolve(street_code=streets[n % len(streets)])
        resolve.append(time.perf_counter() - started)
    print(f"database: {connection.vendor}")
    report("full load (empty tables)", full)
    report("reload (no changes)", reload)
    report("1,000 jurisdiction_resolve calls", resolve)


def report(name: str, runs: list[float]) -> None:
    print(
        f"{name}: median {statistics.median(runs) * 1000:.1f} ms, "
        f"min {min(runs) * 1000:.1f} ms, max {max(runs) * 1000:.1f} ms "
        f"over {len(runs)} runs"
    )


if __name__ == "__main__":
    main()
