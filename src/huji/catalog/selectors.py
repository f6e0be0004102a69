"""Reads of the catalog. The catalog is public: no permission scoping needed."""

from django.db.models import Count, Q, QuerySet

from huji.catalog.models import Category, Item, ItemVersion
from huji.catalog.rules import condition_holds, family_field_name


def categories_list() -> QuerySet[Category]:
    """Every category, ordered, each annotated with ``items_count`` (active items
    with a published version)."""
    return Category.objects.annotate(
        items_count=Count(
            "items",
            filter=Q(items__is_active=True, items__current_version__isnull=False),
        )
    ).order_by("order", "code")


def category_get(*, code: str) -> Category:
    return categories_list().get(code=code)


def items_list(
    *,
    category: str | Category | None = None,
    online: bool | None = None,
    q: str | None = None,
) -> QuerySet[Item]:
    """Active, published items with their current version (no N+1)."""
    qs = (
        Item.objects.filter(is_active=True, current_version__isnull=False)
        .select_related("category", "current_version")
        .order_by("category__order", "order", "code")
    )
    if category is not None and category != "":
        if isinstance(category, Category):
            qs = qs.filter(category=category)
        else:
            qs = qs.filter(category__code=category)
    if online is not None:
        qs = qs.filter(current_version__online=online)
    if q:
        for term in q.split():
            qs = qs.filter(search_text__icontains=term.lower())
    return qs


def item_version_get(*, code: str, number: int | None = None) -> ItemVersion:
    """The current published version of an item, or a given version number.

    Raises ``ItemVersion.DoesNotExist`` for an unknown code, an inactive item without
    a number, or an unknown number.
    """
    if number is None:
        item = (
            Item.objects.filter(code=code, is_active=True)
            .select_related("current_version")
            .first()
        )
        if item is None or item.current_version is None:
            raise ItemVersion.DoesNotExist(f"No published version of {code}")
        version = item.current_version
        version.item = item
        return version
    return ItemVersion.objects.select_related("item", "item__category").get(
        item__code=code, number=number
    )


def required_materials(*, version: ItemVersion, answers: dict) -> list[dict]:
    """The materials that apply to ``answers``.

    Each entry is the material's definition plus ``slot`` (stable key: the material
    code, or ``code.<index>`` for per-family-member materials, index 0-based like the
    form's ``family_members.0.name``), ``required`` (bool: ``False`` only for
    materials the data marks as optional), and for per-member entries
    ``member_index`` and ``member_name``.
    """
    answers = answers or {}
    family_name = family_field_name(version.form_fields)
    members = answers.get(family_name) or [] if family_name else []
    result: list[dict] = []
    for material in version.materials:
        rule = material.get("required", True)
        if material.get("per_family_member"):
            for index, member in enumerate(members):
                if not isinstance(member, dict):
                    continue
                if rule is False or condition_holds(rule, answers, member=member):
                    entry = dict(material, slot=f"{material['code']}.{index}")
                    entry["required"] = rule is not False
                    entry["member_index"] = index
                    entry["member_name"] = member.get("name", "")
                    result.append(entry)
            continue
        if rule is False or condition_holds(rule, answers):
            result.append(
                dict(material, slot=material["code"], required=rule is not False)
            )
    return result
