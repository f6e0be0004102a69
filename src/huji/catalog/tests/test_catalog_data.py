"""The catalog as loaded by the data migration: coverage and integrity (A1, A3)."""

import pytest

from huji.catalog.constants import Family, FieldType, Route
from huji.catalog.loader import catalog_read
from huji.catalog.models import Category, Item
from huji.catalog.rules import rule_fields

pytestmark = pytest.mark.django_db

RESIDENCE_ITEMS = {
    "居住登记",
    "居住登记信息变更",
    "居住证新办",
    "居住证签注",
    "居住证信息变更",
    "居住证补办",
    "居住证挂失",
    "居住证解挂",
}


def _versions():
    return [i.current_version for i in Item.objects.select_related("current_version")]


def test_thirteen_household_categories_hold_79_items():
    household = Category.objects.filter(family=Family.HOUSEHOLD)
    assert household.count() == 13
    items = Item.objects.filter(
        category__family=Family.HOUSEHOLD, is_active=True, current_version__isnull=False
    )
    assert items.count() == 79
    assert all(c.items.exists() for c in household)


def test_residence_items_are_all_there():
    names = set(
        Item.objects.filter(category__family=Family.RESIDENCE).values_list(
            "current_version__name", flat=True
        )
    )
    assert names == RESIDENCE_ITEMS


def test_every_item_has_a_policy_basis_with_article_text_and_a_time_limit():
    for version in _versions():
        official = [
            b
            for b in version.policy_basis
            if b.get("article") and b.get("text") and b.get("regulation")
        ]
        assert official, version.item.code
        assert version.time_limits, version.item.code
        assert all(isinstance(v, int) and v > 0 for v in version.time_limits.values())


def test_policy_basis_quotes_the_regulation_text():
    version = Item.objects.get(code="HJ01-01").current_version
    basis = {b["ref"]: b for b in version.policy_basis}
    assert basis["CZHK 8"]["article"] == "第八条"
    assert basis["CZHK 8"]["text"].startswith(
        "婴儿可以在本市父或母户口所在地公安派出所"
    )
    assert basis["CZHK 8"]["regulation"] == "上海市常住户口管理规定"


def test_every_conditional_material_rule_refers_to_a_real_form_field():
    checked = 0
    for version in _versions():
        fields = {f["name"]: f for f in version.form_fields}
        family = [f for f in fields.values() if f["type"] == FieldType.FAMILY_MEMBERS]
        sub_names = {s["name"] for f in family for s in f["fields"]}
        for material in version.materials:
            for name in rule_fields(material.get("required")):
                checked += 1
                if material.get("per_family_member") and "." in name:
                    head, sub = name.split(".", 1)
                    assert head in fields and sub in sub_names, (
                        version.item.code,
                        name,
                    )
                else:
                    assert name in fields, (version.item.code, material["code"], name)
    assert checked > 50


def test_rule_values_are_among_the_field_choices():
    for version in _versions():
        fields = {f["name"]: f for f in version.form_fields}
        subs = [s for f in fields.values() for s in f.get("fields", [])]
        for sub in subs:
            fields.setdefault(f"family_members.{sub['name']}", sub)
        for material in version.materials:
            rule = material.get("required")
            rules = rule.get("all", [rule]) if isinstance(rule, dict) else []
            for r in rules:
                field = fields[r["field"]]
                values = r.get("in") or r.get("not_in") or [r.get("equals")]
                if field.get("choices"):
                    allowed = {c[0] for c in field["choices"]}
                    assert set(values) <= allowed, (version.item.code, r)


def test_outside_approval_items_name_the_authority_and_police_route():
    outside = [v for v in _versions() if v.route == Route.OUTSIDE_APPROVAL]
    authorities = {v.outside_authority for v in outside}
    assert {"市人社局", "市教委", "市民政局"} <= authorities
    for version in outside:
        assert version.definition["police_route"] in Route.values


def test_pilot_items_take_community_public_household_and_family_members():
    for code in ("HJ10-01", "HJ11-01", "HJ11-03", "HJ11-05", "HJ12-01"):
        version = Item.objects.get(code=code).current_version
        assert "community_public" in version.definition["destinations"]
        types = {f["type"] for f in version.form_fields}
        assert FieldType.FAMILY_MEMBERS in types, code


def test_data_files_read_without_the_database():
    catalog = catalog_read()
    household = [c for c in catalog if c["category"]["family"] == "household"]
    assert sum(len(c["items"]) for c in household) == 79
    codes = [code for c in catalog for code, _order, _d in c["items"]]
    assert len(codes) == len(set(codes))
