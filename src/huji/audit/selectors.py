"""Reads of the audit trail, scoped: auditors and system administrators see every
event; other staff see their own organisation's; residents see none."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from huji.accounts.constants import StaffRole
from huji.audit.models import AuditEvent

AUDIT_ALL_ROLES = {StaffRole.AUDITOR, StaffRole.SYSTEM_ADMIN}


def _with_people(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("actor", "organisation")


def audit_events_for(*, object_type: str, object_id) -> QuerySet[AuditEvent]:
    """One record's history, newest first (for a record page the caller already
    checked access to)."""
    return _with_people(
        AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id))
    ).order_by("-at", "-id")


def audit_scope(user) -> QuerySet[AuditEvent]:
    if user is None or not user.is_authenticated:
        return AuditEvent.objects.none()
    if not getattr(user, "is_staff_member", False) or not user.organisation_id:
        return AuditEvent.objects.none()
    if user.role in AUDIT_ALL_ROLES:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(organisation_id=user.organisation_id)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_events_list(
    *,
    user,
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    actor_username: str = "",
    organisation_code: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The events ``user`` may see, filtered; ``action`` matches a prefix
    (``read:`` finds every read), the dates are inclusive local days."""
    queryset = audit_scope(user)
    if action:
        queryset = queryset.filter(action__startswith=action)
    if object_type:
        queryset = queryset.filter(object_type=object_type)
    if object_id:
        queryset = queryset.filter(object_id=object_id)
    if actor_username:
        queryset = queryset.filter(actor__username=actor_username)
    if organisation_code:
        queryset = queryset.filter(organisation__code=organisation_code)
    if date_from:
        queryset = queryset.filter(at__gte=_day_start(date_from))
    if date_to:
        queryset = queryset.filter(at__lt=_day_start(date_to + datetime.timedelta(1)))
    return _with_people(queryset).order_by("-at", "-id")
