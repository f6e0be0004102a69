"""How cheap is the working-day calendar? 10,000 ``add_working_days`` calls.

    cd /work/main && .venv/bin/python bench/bench_workdays.py [--repeat 15]

Uses a throw-away SQLite database in a temporary directory (migrated, so the
operator table is seeded as in production). Prints the median and spread of the
time for 10,000 calls with a warm cache, the cold first call, and
``working_days_between`` for comparison.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--calls", type=int, default=10_000)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="huji-bench-")
    os.environ["HUJI_DATA_DIR"] = tmp
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huji.conf.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "workdays", verbosity=0)
    from huji.workdays import services

    rng = random.Random(82)
    base = datetime.date(2024, 1, 1)
    cases = [
        (base + datetime.timedelta(days=rng.randrange(3 * 365)), rng.randrange(1, 61))
        for _ in range(args.calls)
    ]

    services.calendar_cache_clear()
    started = time.perf_counter()
    services.add_working_days(datetime.date(2025, 9, 30), 6)
    cold = time.perf_counter() - started

    def timed(fn) -> list[float]:
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            for start, n in cases:
                fn(start, n)
            runs.append(time.perf_counter() - started)
        return runs

    add_runs = timed(services.add_working_days)
    between_runs = timed(
        lambda start, n: services.working_days_between(
            start, start + datetime.timedelta(days=n)
        )
    )
    report("add_working_days", add_runs, args.calls)
    report("working_days_between", between_runs, args.calls)
    print(f"cold first call (loads the year from the table): {cold * 1000:.1f} ms")


def report(name: str, runs: list[float], calls: int) -> None:
    median = statistics.median(runs)
    print(
        f"{name}: {calls} calls, median {median * 1000:.1f} ms "
        f"({median / calls * 1e6:.2f} µs/call), "
        f"min {min(runs) * 1000:.1f} ms, max {max(runs) * 1000:.1f} ms, "
        f"stdev {statistics.pstdev(runs) * 1000:.1f} ms over {len(runs)} runs"
    )


if __name__ == "__main__":
    main()
