"""What other apps call: ``notification_send`` (message box + SMS), ``sms_send``
(a bare text message, e.g. a sign-in code) and ``message_mark_read``."""

from django.db import transaction
from django.template import loader
from django.utils import timezone, translation

from huji.notifications.models import Message
from huji.notifications.tasks import sms_deliver


def sms_send(*, phone: str, text: str) -> None:
    """Queue one text message; it leaves after the current transaction commits."""
    transaction.on_commit(lambda: sms_deliver.enqueue(phone=phone, text=text))


def _recipient_language(recipient) -> str:
    return getattr(recipient, "language", "") or translation.get_language() or "zh-hans"


def notification_render(*, event: str, context: dict, language: str) -> tuple[str, str]:
    """Render ``notifications/events/<event>.txt``: first line subject, rest body."""
    with translation.override(language):
        text = loader.render_to_string(f"notifications/events/{event}.txt", context)
    lines = text.strip().splitlines()
    subject = lines[0].strip() if lines else event
    body = "\n".join(lines[1:]).strip()
    return subject, body


@transaction.atomic
def notification_send(
    *, recipient, event: str, context: dict, link: str = "", sms: bool = True
) -> Message:
    """Put a message in ``recipient``'s message box and, with ``sms``, text it to
    their mobile (after commit, from the task worker)."""
    subject, body = notification_render(
        event=event, context=context, language=_recipient_language(recipient)
    )
    message = Message.objects.create(
        recipient=recipient, event=event, subject=subject[:200], body=body, link=link
    )
    mobile = getattr(recipient, "mobile", None)
    if sms and mobile:
        text = subject if not body else f"{subject}：{body}"
        if link:
            text += " " + link
        sms_send(phone=mobile, text=text)
    return message


@transaction.atomic
def message_mark_read(*, message: Message, user) -> Message:
    """Mark one of ``user``'s own messages read (someone else's: LookupError)."""
    if message.recipient_id != user.pk:
        raise LookupError("not your message")
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


@transaction.atomic
def messages_mark_all_read(*, user) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
