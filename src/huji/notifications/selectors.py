from huji.notifications.models import Message, SmsMessage


def message_list(*, user):
    return Message.objects.filter(recipient=user).order_by("-created_at", "-id")


def message_get(*, user, message_id: int) -> Message:
    """The user's own message; someone else's raises DoesNotExist like a missing one."""
    return Message.objects.get(recipient=user, pk=message_id)


def message_unread_count(*, user) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def sms_outbox(*, phone: str = "", last: int = 20):
    qs = SmsMessage.objects.order_by("-created_at", "-id")
    if phone:
        qs = qs.filter(phone=phone)
    return qs[:last]
