import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from huji.accounts import services
from huji.accounts.constants import StaffRole
from huji.organizations.models import Organisation


class Command(BaseCommand):
    help = "Create a staff account: huji staff_create --username U --org CODE --role R"

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--org", required=True, help="organisation code")
        parser.add_argument("--role", required=True, choices=StaffRole.values)
        parser.add_argument("--password", help="asked for when omitted")
        parser.add_argument("--name", default="", help="full name (姓名)")

    def handle(self, *args, username, org, role, password=None, name="", **options):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None:
            raise CommandError(f"No organisation with code {org!r}.")
        if password is None:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        try:
            user = services.staff_create(
                username=username,
                organisation=organisation,
                role=role,
                password=password,
                first_name=name,
                is_staff=role == StaffRole.SYSTEM_ADMIN,
                is_superuser=role == StaffRole.SYSTEM_ADMIN,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Created {user.username} ({user.get_role_display()}, "
            f"{organisation.name}). A TOTP device is enrolled at first sign-in."
        )
