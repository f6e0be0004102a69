"""Reads of the catalog. The catalog is public: no permission scoping needed."""

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from huji.catalog.models import Category, Item, ItemVersion
from huji.catalog.rules import condition_holds, family_field_name, rule_fields


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
        terms = q.split()
        for term in terms:
            qs = qs.filter(search_text__icontains=term.lower())
        # Items whose name holds the words come before keyword-only matches.
        in_name = Q(*[Q(current_version__name__icontains=t) for t in terms])
        qs = qs.annotate(
            name_rank=Case(When(in_name, then=Value(0)), default=Value(1))
        ).order_by("name_rank", "category__order", "order", "code")
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
    materials the data marks as optional), ``rule`` (the data's condition), and
    for per-member entries ``member_index`` and ``member_name``.
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
                    entry["rule"] = rule
                    entry["member_index"] = index
                    entry["member_name"] = member.get("name", "")
                    result.append(entry)
            continue
        if rule is False or condition_holds(rule, answers):
            result.append(
                dict(
                    material,
                    slot=material["code"],
                    required=rule is not False,
                    rule=rule,
                )
            )
    return result


# ------------------------------------------------------------ guide view model

STAGE_LABELS = {
    "review": _("派出所（受理单位）审核"),
    "district": _("区公安分局审批"),
    "city": _("市公安局人口管理办公室审批"),
    "confirm": _("受理中心确认"),
    "production": _("制证"),
    "visit_valid_days": _("预审通过后到窗口办理的有效期"),
}


def _choice_label(field: dict | None, value) -> str:
    if field is None:
        return str(value)
    if field.get("type") == "boolean":
        return str(_("是")) if value is True else str(_("否"))
    for choice_value, label in field.get("choices") or []:
        if choice_value == value:
            return label
    return str(value)


def form_fields_by_name(*, version: ItemVersion) -> dict[str, dict]:
    """Form fields by name, family-member sub-fields as ``family_members.relation``."""
    return _field_lookup(version)


def _field_lookup(version: ItemVersion) -> dict[str, dict]:
    fields = {f["name"]: f for f in version.form_fields}
    for spec in list(fields.values()):
        for sub in spec.get("fields") or []:
            fields[f"{spec['name']}.{sub['name']}"] = sub
    return fields


def rule_text(rule, fields: dict[str, dict]) -> str:
    """“拟落户地为“社区公共户”” — a rule in words, for the guide and checklists."""
    if rule is True or rule is None:
        return ""
    if rule is False:
        return str(_("如有"))
    if "all" in rule:
        return "，且".join(rule_text(r, fields) for r in rule["all"])
    if "any" in rule:
        return "，或".join(rule_text(r, fields) for r in rule["any"])
    field = fields.get(rule["field"])
    label = (field or {}).get("label", rule["field"])
    if "equals" in rule:
        return f"{label}：{_choice_label(field, rule['equals'])}"
    if "in" in rule:
        values = "、".join(_choice_label(field, v) for v in rule["in"])
        return f"{label}：{values}"
    if "not_in" in rule:
        values = "、".join(_choice_label(field, v) for v in rule["not_in"])
        return f"{label}不是：{values}"
    return label


def item_guide(*, version: ItemVersion) -> dict:
    """What the guide page of a version shows, ready for a template."""
    fields = _field_lookup(version)
    definition = version.definition
    materials = []
    for material in version.materials:
        rule = material.get("required", True)
        materials.append(
            {
                **material,
                "condition": rule_text(rule, fields) if rule is not True else "",
                "optional": rule is False,
            }
        )
    order = list(STAGE_LABELS)
    limits = [
        {
            "key": key,
            "label": STAGE_LABELS.get(key, key),
            "days": days,
            "calendar": key == "visit_valid_days",
        }
        for key, days in sorted(
            version.time_limits.items(),
            key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order),
        )
    ]
    sources = definition.get("sources") or {}
    return {
        "version": version,
        "definition": definition,
        "materials": materials,
        "conditions": definition.get("conditions") or [],
        "policy_basis": version.policy_basis,
        "limits": limits,
        "working_days_total": sum(
            d for k, d in version.time_limits.items() if k != "visit_valid_days"
        ),
        "reconstructed": sorted(k for k, v in sources.items() if v == "reconstructed"),
        "sources": sources,
        "originals": definition.get("originals") or [],
        "police_route": definition.get("police_route", ""),
        "outside_document": definition.get("outside_document", ""),
        "delivery": definition.get("delivery") or {},
    }


def questions_for(*, version: ItemVersion) -> list[dict]:
    """The form fields whose answers change the material checklist (the questions
    the guided questionnaire asks), in form order. Each carries ``depends_on``: the
    other conditions under which its answer matters (empty: always), e.g.
    "owner is self" only matters when the destination is a family household."""
    depends: dict[str, list | None] = {}
    for material in version.materials:
        rule = material.get("required")
        if not isinstance(rule, dict):
            continue
        parts = rule.get("all", [rule])
        for part in parts:
            for name in rule_fields(part):
                others = [p for p in parts if p is not part]
                if not others or "all" not in rule:
                    depends[name] = None  # matters on its own
                elif depends.get(name, others) is not None:
                    depends[name] = others
    family = family_field_name(version.form_fields)
    questions = []
    for spec in version.form_fields:
        if spec["name"] in depends and spec.get("type") in (
            "choice",
            "boolean",
            "relation",
        ):
            questions.append({**spec, "depends_on": depends[spec["name"]] or []})
        elif spec["name"] == family:
            questions.append({**spec, "depends_on": []})
    return questions


def question_applies(question: dict, answers: dict) -> bool:
    return all(condition_holds(rule, answers) for rule in question["depends_on"])
