"""Background work: the periodic clean-up of uploads never attached to anything.

Schedule ``huji materials_cleanup`` (or enqueue ``materials_cleanup_task``) every
hour; it is idempotent and safe to run twice at once.
"""

from django.tasks import task

from huji.materials.services import uploads_cleanup


@task()
def materials_cleanup_task(older_than_hours: int | None = None) -> int:
    return uploads_cleanup(older_than_hours=older_than_hours)
