from django.tasks import task


@task()
def residence_tick() -> dict:
    """Daily: endorsement reminders (idempotent: one reminder per validity year)."""
    from huji.residence.services import permits_remind

    return {"reminded": permits_remind()}
