"""``huji catalog_load [--publish]``: load data/catalog/ into the catalog.

Without ``--publish`` new and changed items are stored as drafts (shown in the
admin, not yet in force); with it they are published as new versions. Unchanged
items are left alone, so running it twice changes nothing.
"""

from django.core.management import BaseCommand
from django.db import transaction

from huji.audit.services import audit_record
from huji.catalog.loader import catalog_sync


class Command(BaseCommand):
    help = "Load the catalog data files; --publish publishes changed items."

    def add_arguments(self, parser):
        parser.add_argument("--publish", action="store_true")
        parser.add_argument("--dir", default=None, help="Data directory.")

    def handle(self, *args, publish: bool, dir: str | None, **options):
        from pathlib import Path

        def audit(version):
            audit_record(
                actor=None,
                action="catalog:publish",
                obj=version,
                reason="catalog_load",
                changes={
                    "item": version.item.code,
                    "number": version.number,
                    "digest": version.digest,
                },
            )

        with transaction.atomic():
            report = catalog_sync(
                publish=publish,
                directory=Path(dir) if dir else None,
                on_publish=audit,
            )
        self.stdout.write(
            f"{report.categories} categories, {report.items} items: "
            f"{len(report.created)} new, {len(report.published)} republished, "
            f"{len(report.drafts)} drafts, {report.unchanged} unchanged"
        )
        for code in report.created + report.published:
            self.stdout.write(f"  published {code}")
        for code in report.drafts:
            self.stdout.write(f"  draft {code} (run with --publish to publish)")
