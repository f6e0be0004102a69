"""Writing the audit trail. Every service that changes or reveals personal data
calls ``audit_record`` inside its own transaction."""

from typing import Any

from huji.audit.models import AuditEvent


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    request=None,
    reason: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_role=getattr(actor, "role", "") or getattr(actor, "kind", "") or "",
        organisation_id=getattr(actor, "organisation_id", None) if is_user else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        ip_address=_client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request else ""),
        reason=reason[:300],
        changes=changes or {},
    )
