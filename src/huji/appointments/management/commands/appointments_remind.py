import datetime

from django.core.management import BaseCommand

from huji.appointments.services import bookings_mark_no_show, visit_reminders_send


class Command(BaseCommand):
    help = (
        "Remind residents booked at a household window tomorrow (or --day), close "
        "pre-approved applications whose visit deadline passed (with notice), and "
        "mark past bookings without a visit as no-shows. Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, day=None, **options):
        from huji.applications.services import applications_close_expired

        sent = visit_reminders_send(day=day)
        closed = applications_close_expired()
        no_shows = bookings_mark_no_show()
        self.stdout.write(f"提醒 {sent} 条 / {sent} reminders sent")
        self.stdout.write(f"逾期关闭 {closed} 件 / {closed} applications closed")
        self.stdout.write(f"未到场 {no_shows} 个 / {no_shows} bookings marked no-show")
