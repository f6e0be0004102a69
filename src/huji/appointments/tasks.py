from django.tasks import task

from huji.appointments import services


@task()
def visit_reminders_send() -> int:
    """Daily: remind residents booked for tomorrow (idempotent, safe to retry)."""
    return services.visit_reminders_send()


@task()
def bookings_mark_no_show() -> int:
    """Daily, after closing: bookings whose slot passed without a visit."""
    return services.bookings_mark_no_show()
