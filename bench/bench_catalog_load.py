"""Time the catalog loader: a fresh load (what the data migration does) and a
no-op reload. Run: DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/huji migrate
then .venv/bin/python bench/bench_catalog_load.py (same DATABASE_URL). Rolls back."""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huji.conf.settings")
django.setup()

from django.db import transaction  # noqa: E402

from huji.catalog.loader import catalog_read, catalog_sync  # noqa: E402
from huji.catalog.models import Category, Item, ItemVersion  # noqa: E402


def main() -> None:
    start = time.perf_counter()
    catalog_read()
    print(f"read and expand the data files: {time.perf_counter() - start:.3f} s")
    with transaction.atomic():
        Item.objects.update(current_version=None)
        ItemVersion.objects.all()._raw_delete(ItemVersion.objects.db)
        Item.objects.all().delete()
        Category.objects.all().delete()
        start = time.perf_counter()
        report = catalog_sync(publish=True)
        print(
            f"fresh load of {len(report.created)} items: "
            f"{time.perf_counter() - start:.3f} s"
        )
        start = time.perf_counter()
        report = catalog_sync(publish=True)
        print(
            f"no-op reload ({report.unchanged} unchanged): "
            f"{time.perf_counter() - start:.3f} s"
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
