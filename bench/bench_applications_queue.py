"""Time the officers' queue, a resident's list and a number look-up on a large
applications table (PostgreSQL). Creates the rows in a transaction and rolls back.

    createdb -h 127.0.0.1 -U postgres huji_bench_app
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/huji_bench_app
    .venv/bin/huji migrate && .venv/bin/python bench/bench_applications_queue.py [N]
"""

import datetime
import os
import random
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huji.conf.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from huji.accounts.constants import AccountKind, StaffRole  # noqa: E402
from huji.accounts.models import Person, User  # noqa: E402
from huji.applications import selectors  # noqa: E402
from huji.applications.constants import State  # noqa: E402
from huji.applications.models import Application  # noqa: E402
from huji.catalog.models import ItemVersion  # noqa: E402
from huji.organizations.models import Organisation  # noqa: E402

OPEN = [
    State.SUBMITTED,
    State.UNDER_REVIEW,
    State.CORRECTION_REQUESTED,
    State.PRE_APPROVED,
]


class Rollback(Exception):
    pass


def timed(label, fn, repeat=5):
    fn()
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    print(f"{label}: {(time.perf_counter() - start) / repeat * 1000:.1f} ms")


def main(n: int) -> None:
    rng = random.Random(7)
    versions = list(ItemVersion.objects.select_related("item")[:150])
    stations = list(Organisation.objects.filter(kind="police_station")[:200])
    if not versions or not stations:
        sys.exit("migrate first: needs the catalog and the organisations")
    persons = Person.objects.bulk_create(
        Person(
            name=f"压测{i}",
            sex="male",
            birth_date=datetime.date(1990, 1, 1),
            id_number=f"9{i:017d}",
        )
        for i in range(200)
    )
    users = User.objects.bulk_create(
        User(
            kind=AccountKind.RESIDENT, mobile=f"199{i:08d}", username=f"b{i}", person=p
        )
        for i, p in enumerate(persons)
    )
    officer = User.objects.create(
        kind=AccountKind.STAFF,
        username="bench-officer",
        organisation=stations[0],
        role=StaffRole.STATION_OFFICER,
    )
    today = timezone.localdate()
    now = timezone.now()
    open_pairs = set()
    rows = []
    for i in range(n):
        user = rng.choice(users)
        version = rng.choice(versions)
        state = State.COMPLETED
        pair = (user.pk, version.item_id)
        if rng.random() < 0.05 and pair not in open_pairs:
            state = rng.choice(OPEN)
            open_pairs.add(pair)
        rows.append(
            Application(
                number=f"HJ{i:014d}",
                applicant=user,
                applicant_person_id=user.person_id,
                item_id=version.item_id,
                item_version=version,
                state=state,
                handling_organisation=rng.choice(stations),
                submitted_at=now,
                due_on=today + datetime.timedelta(days=rng.randint(-3, 10))
                if state in (State.SUBMITTED, State.UNDER_REVIEW)
                else None,
            )
        )
        if len(rows) == 20000:
            Application.objects.bulk_create(rows)
            rows = []
    Application.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE applications_application")
    print(f"{n} applications, {len(stations)} stations")
    queue = selectors.application_queue(user=officer)
    timed("queue first page (30)", lambda: list(queue[:30]))
    timed("queue count", queue.count)
    timed("queue counts per state", lambda: selectors.queue_counts(user=officer))
    timed(
        "overdue filter",
        lambda: list(selectors.application_queue(user=officer, due="overdue")[:30]),
    )
    timed("number look-up", lambda: Application.objects.get(number="HJ00000000012345"))
    timed(
        "a resident's list (20)",
        lambda: list(selectors.applications_for_resident(user=users[0])[:20]),
    )
    sql, params = queue[:30].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        print("\n".join(row[0] for row in cursor.fetchall()))
    raise Rollback


if __name__ == "__main__":
    try:
        with transaction.atomic():
            main(int(sys.argv[1]) if len(sys.argv) > 1 else 300_000)
    except Rollback:
        pass
