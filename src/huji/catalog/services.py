"""Writes of the catalog: publishing item versions. Plus ``answers_validate``,
the check every application form runs against its item version."""

import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from huji.audit.services import audit_record
from huji.catalog.loader import definition_check, search_text, version_kwargs
from huji.catalog.models import Item, ItemVersion
from huji.catalog.validation import validate_fields


def answers_validate(*, version: ItemVersion, answers: dict) -> dict[str, list[str]]:
    """Field name → Chinese error messages; an empty dict means valid. Family member
    sub-fields are addressed as ``family_members.0.name``."""
    return validate_fields(version.form_fields, answers or {})


def definition_digest(definition: dict) -> str:
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _may_publish(actor) -> bool:
    # None: the loader / data migration (system). Otherwise superusers and the
    # system administrator role.
    if actor is None:
        return True
    return bool(
        getattr(actor, "is_superuser", False)
        or getattr(actor, "role", "") == "system_admin"
    )


def version_from_definition(
    *, item: Item, number: int, definition: dict, actor=None, now=None
) -> ItemVersion:
    """An unsaved ItemVersion built from a full item definition (not saved)."""

    problems = definition_check(definition)
    if problems:
        raise ValidationError(problems)
    return ItemVersion(
        item=item,
        number=number,
        published_at=now or timezone.now(),
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        digest=definition_digest(definition),
        **version_kwargs(definition),
    )


@transaction.atomic
def item_version_publish(*, item: Item, definition: dict, actor) -> ItemVersion:
    """Publish ``definition`` (the full item definition: name, route, time_limits,
    materials, form, …) as the item's next version and make it current. Earlier
    versions stay untouched, so applications keep the version they were filed
    under."""
    if not _may_publish(actor):
        raise PermissionDenied("Only administrators publish catalog versions.")
    item = Item.objects.select_for_update().select_related("category").get(pk=item.pk)
    last = item.versions.order_by("-number").values_list("number", flat=True).first()
    version = version_from_definition(
        item=item, number=(last or 0) + 1, definition=definition, actor=actor
    )
    version.save()
    item.current_version = version
    item.search_text = search_text(
        code=item.code, category_name=item.category.name, definition=definition
    )
    item.draft_definition = None
    item.save(update_fields=["current_version", "search_text", "draft_definition"])
    audit_record(
        actor=actor,
        action="catalog:publish",
        obj=version,
        changes={"item": item.code, "number": version.number, "digest": version.digest},
    )
    return version


def version_definition(version: ItemVersion) -> dict:
    """The full definition of a version (columns folded back in), e.g. to start a
    draft from it."""
    data = dict(version.definition)
    data.update(
        name=version.name,
        name_en=version.name_en,
        online=version.online,
        route=version.route,
        outside_authority=version.outside_authority,
        time_limits=version.time_limits,
        fee_yuan=str(version.fee_yuan),
        fee_note=version.fee_note,
    )
    return data
