from django.core.management.base import BaseCommand
from django.utils import timezone

from huji.notifications.selectors import sms_outbox


class Command(BaseCommand):
    help = "Development SMS outbox: `huji sms outbox [--phone P] [--last N]`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        outbox = sub.add_parser("outbox", help="print stored messages, newest first")
        outbox.add_argument("--phone", default="", help="only this mobile number")
        outbox.add_argument("--last", type=int, default=10, help="how many (10)")

    def handle(self, *args, action, phone="", last=10, **options):
        messages = list(sms_outbox(phone=phone, last=last))
        if not messages:
            self.stdout.write(
                "(outbox empty — messages are delivered by the task worker: is "
                "`huji db_worker` or `huji demo` running?)"
            )
            return
        for message in messages:
            when = timezone.localtime(message.created_at).strftime("%Y-%m-%d %H:%M:%S")
            self.stdout.write(f"{when}  {message.phone}  {message.text}")
