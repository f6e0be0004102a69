"""Writes to the reference data: reloading the files, and administrators' edits."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import model_to_dict

from huji.audit.services import audit_record
from huji.organizations.loader import LoadResult, organisations_load


@transaction.atomic
def organisations_reload(*, path=None, actor=None, request=None) -> LoadResult:
    """Load the data files again (create missing, update differing, never delete)
    and record what changed."""
    result = organisations_load(path=path)
    audit_record(
        actor=actor,
        action="organisations_reload",
        object_type="organizations.organisation",
        request=request,
        changes={
            "path": str(path or "default"),
            "divisions_created": result.divisions_created,
            "divisions_updated": result.divisions_updated,
            "organisations_created": result.organisations_created,
            "organisations_updated": result.organisations_updated,
        },
    )
    return result


def _snapshot(obj) -> dict:
    return {
        key: value if isinstance(value, str | int | bool | type(None)) else str(value)
        for key, value in model_to_dict(obj).items()
    }


@transaction.atomic
def reference_record_save(*, obj, actor, request=None, reason: str = "") -> dict:
    """Save an administrator's edit of a Division or Organisation with an audit row
    holding the old and new value of each changed field. Returns those changes."""
    model = type(obj)
    created = obj.pk is None
    perm = f"{model._meta.app_label}.{'add' if created else 'change'}_"
    if actor is None or not actor.has_perm(perm + model._meta.model_name):
        raise PermissionDenied
    before = {}
    if not created:
        before = _snapshot(model.objects.select_for_update().get(pk=obj.pk))
    after = _snapshot(obj)
    changes = {
        key: [before.get(key), value]
        for key, value in after.items()
        if key != "id" and before.get(key) != value
    }
    if created:
        obj.save()
    elif changes:
        obj.save(update_fields=list(changes))
    else:
        return {}
    verb = "create" if created else "update"
    audit_record(
        actor=actor,
        action=f"{model._meta.model_name}_{verb}",
        obj=obj,
        request=request,
        reason=reason,
        changes=changes,
    )
    return changes
