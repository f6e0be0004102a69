from django.core.management.base import BaseCommand

from huji.materials import conf
from huji.materials.services import uploads_cleanup


class Command(BaseCommand):
    help = "Remove uploads never attached to a record, and their files (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=None,
            help="age after which an unattached upload is removed "
            f"(default {conf.DEFAULTS['UNCLAIMED_MAX_AGE_HOURS']})",
        )

    def handle(self, *args, older_than_hours=None, **options):
        removed = uploads_cleanup(older_than_hours=older_than_hours)
        self.stdout.write(f"Removed {removed} unattached upload(s).")
