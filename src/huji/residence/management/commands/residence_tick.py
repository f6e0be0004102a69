"""``huji residence_tick``: send endorsement reminders and list overdue work."""

import datetime

from django.core.management.base import BaseCommand

from huji.residence import services
from huji.residence.constants import PermitApplicationState, RegistrationState
from huji.residence.models import PermitApplication, ResidenceRegistration


class Command(BaseCommand):
    help = "Send residence-permit endorsement reminders; report overdue deadlines."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        on = (
            datetime.date.fromisoformat(options["date"])
            if options.get("date")
            else services.today()
        )
        reminded = services.permits_remind(on=on)
        overdue_registrations = ResidenceRegistration.objects.filter(
            state=RegistrationState.SUBMITTED, due_on__lt=on
        ).count()
        overdue_reviews = PermitApplication.objects.filter(
            state=PermitApplicationState.ACCEPTED, review_due_on__lt=on
        ).count()
        overdue_production = PermitApplication.objects.filter(
            state=PermitApplicationState.IN_PRODUCTION, production_due_on__lt=on
        ).count()
        self.stdout.write(
            f"{on}: reminded {reminded}; overdue: registrations "
            f"{overdue_registrations}, reviews {overdue_reviews}, production "
            f"{overdue_production}"
        )
