"""The public catalog over JSON: categories, items (filters, text search), one
item's current (or a given) version with its form schema and material rules, and
the checklist that applies to a set of answers. No sign-in needed."""

from typing import Any

from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from huji.catalog import selectors
from huji.catalog.constants import Route
from huji.catalog.models import ItemVersion
from huji.catalog.services import answers_validate

router = Router(tags=["catalog"])

MAX_LIMIT = 100


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class ItemsIn(PageIn):
    category: str = ""
    online: bool | None = None
    q: str = Field("", max_length=50)


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    family: str
    order: int
    description: str
    items_count: int


class CategoryPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CategoryOut]


class ItemSummaryOut(Schema):
    code: str
    name: str
    name_en: str
    category: str
    category_name: str
    version: int
    online: bool
    route: str
    outside_authority: str
    time_limits: dict[str, int]
    fee_yuan: str
    url: str


class ItemPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ItemSummaryOut]


class ItemDetailOut(Schema):
    code: str
    category: dict[str, str]
    version: int
    published_at: str
    name: str
    name_en: str
    online: bool
    route: str
    route_label: str
    outside_authority: str
    time_limits: dict[str, int]
    fee_yuan: str
    fee_note: str
    definition: dict[str, Any]
    form: dict[str, Any]
    materials: list[dict[str, Any]]
    material_rules: list[dict[str, Any]]
    policy_basis: list[dict[str, Any]]


class AnswersIn(Schema):
    answers: dict[str, Any] = {}
    version: int | None = None


class ChecklistOut(Schema):
    item: str
    version: int
    errors: dict[str, list[str]]
    materials: list[dict[str, Any]]


def _summary(item) -> dict:
    version = item.current_version
    return {
        "code": item.code,
        "name": version.name,
        "name_en": version.name_en,
        "category": item.category.code,
        "category_name": item.category.name,
        "version": version.number,
        "online": version.online,
        "route": version.route,
        "outside_authority": version.outside_authority,
        "time_limits": version.time_limits,
        "fee_yuan": str(version.fee_yuan),
        "url": f"/guide/items/{item.code}/",
    }


def _version_or_404(code: str, number: int | None) -> ItemVersion:
    try:
        return selectors.item_version_get(code=code, number=number)
    except ItemVersion.DoesNotExist as exc:
        raise Http404("No such item or version.") from exc


@router.get("/categories", response=CategoryPage, summary="Categories with counts")
def categories(request, page: Query[PageIn]):
    qs = selectors.categories_list()
    rows = list(qs[page.offset : page.offset + page.limit])
    return {
        "count": qs.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": rows,
    }


@router.get("/items", response=ItemPage, summary="Items (category, online, q)")
def items(request, filters: Query[ItemsIn]):
    qs = selectors.items_list(
        category=filters.category or None, online=filters.online, q=filters.q or None
    )
    rows = qs[filters.offset : filters.offset + filters.limit]
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_summary(item) for item in rows],
    }


@router.get("/items/{code}", response=ItemDetailOut, summary="One item, in full")
def item_detail(request, code: str, version: int | None = None):
    obj = _version_or_404(code, version)
    category = obj.item.category
    materials = obj.materials
    return {
        "code": obj.item.code,
        "category": {
            "code": category.code,
            "name": category.name,
            "family": category.family,
        },
        "version": obj.number,
        "published_at": obj.published_at.isoformat(),
        "name": obj.name,
        "name_en": obj.name_en,
        "online": obj.online,
        "route": obj.route,
        "route_label": str(Route(obj.route).label),
        "outside_authority": obj.outside_authority,
        "time_limits": obj.time_limits,
        "fee_yuan": str(obj.fee_yuan),
        "fee_note": obj.fee_note,
        "definition": obj.definition,
        "form": obj.definition.get("form") or {"fields": []},
        "materials": materials,
        "material_rules": [
            {
                "material": m["code"],
                "required": m.get("required", True),
                "per_family_member": m.get("per_family_member", False),
            }
            for m in materials
            if isinstance(m.get("required", True), dict)
        ],
        "policy_basis": obj.policy_basis,
    }


@router.post(
    "/items/{code}/checklist",
    response=ChecklistOut,
    summary="Materials that apply to these answers",
)
def item_checklist(request, code: str, payload: AnswersIn):
    obj = _version_or_404(code, payload.version)
    return {
        "item": obj.item.code,
        "version": obj.number,
        "errors": answers_validate(version=obj, answers=payload.answers),
        "materials": selectors.required_materials(version=obj, answers=payload.answers),
    }
