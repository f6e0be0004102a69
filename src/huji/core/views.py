import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        logger.warning("health check: database unreachable: %s", exc)
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def _task_queue_status() -> dict:
    from django_tasks_db.models import DBTaskResult

    try:
        waiting = DBTaskResult.objects.filter(status="READY").count()
        failed = DBTaskResult.objects.filter(status="FAILED").count()
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "waiting": waiting, "failed": failed}


@never_cache
@require_GET
def healthz(request):
    database = _database_status()
    queue = _task_queue_status() if database["ok"] else {"ok": False}
    status = 200 if database["ok"] else 503
    body = {
        "status": "ok" if status == 200 else "unavailable",
        "database": database,
        "tasks": queue,
    }
    return JsonResponse(body, status=status)
