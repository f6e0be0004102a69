from django.tasks import task
from django.utils import timezone

from huji.notifications.sms import get_sms_backend


@task()
def sms_deliver(*, phone: str, text: str) -> str:
    """Hand one message to the configured SMS backend.

    Runs in the task worker; a real provider's failure raises so the attempt is
    recorded as failed (and may be retried by an operator).
    """
    from huji.notifications.models import SmsMessage

    backend = get_sms_backend()
    provider_id = backend.send(phone, text)
    if not backend.stores_locally:
        SmsMessage.objects.create(
            phone=phone,
            text=text,
            status=SmsMessage.Status.SENT,
            backend=f"{type(backend).__module__}.{type(backend).__qualname__}",
            provider_id=provider_id,
            sent_at=timezone.now(),
        )
    return provider_id
