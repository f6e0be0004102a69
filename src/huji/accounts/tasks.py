from django.tasks import task

from huji.accounts.services import sign_in_codes_purge


@task()
def sign_in_codes_purge_task() -> int:
    """Idempotent housekeeping; enqueue daily from the operator's scheduler."""
    return sign_in_codes_purge()
