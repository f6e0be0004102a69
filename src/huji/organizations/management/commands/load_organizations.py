"""``huji load_organizations [--path DIR]``: (re)load divisions and organisations.

Idempotent: creates what is missing, updates what differs (by code), never
deletes. Records one audit event with the counts.
"""

from django.core.management import BaseCommand, CommandError

from huji.organizations.loader import OrganisationDataError
from huji.organizations.services import organisations_reload


class Command(BaseCommand):
    help = "Load Shanghai's divisions and the organisation tree from data files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            default=None,
            help="Directory holding shanghai_divisions.json and organisations.json "
            "(default: data/organizations/ of the project).",
        )

    def handle(self, *args, path: str | None, **options):
        try:
            result = organisations_reload(path=path, actor=None)
        except OrganisationDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(str(result)))
