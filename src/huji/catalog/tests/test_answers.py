"""answers_validate and required_materials against real catalog items."""

import pytest

from huji.catalog.selectors import item_version_get, required_materials
from huji.catalog.services import answers_validate

pytestmark = pytest.mark.django_db

VALID_ID = "360426199101010071"
ADDRESS = {
    "district": "310104",
    "street": "310104014",
    "detail": "天钥桥路100弄1号101室",
}


def _valid_settlement(**extra):
    answers = {
        "subject_name": "张三",
        "subject_id_number": VALID_ID,
        "origin_address": "江苏省南京市鼓楼区中山路1号",
        "destination": "community_public",
        "destination_address": ADDRESS,
        "phone": "13912345678",
    }
    answers.update(extra)
    return answers


def test_valid_answers_give_no_errors():
    version = item_version_get(code="HJ11-01")
    assert answers_validate(version=version, answers=_valid_settlement()) == {}


def test_missing_required_fields_are_named_in_chinese():
    version = item_version_get(code="HJ11-01")
    errors = answers_validate(version=version, answers={})
    assert errors["subject_name"] == ["请填写落户人姓名。"]
    assert "destination" in errors
    assert "family_members" not in errors  # optional


def test_id_number_check_digit_is_verified():
    version = item_version_get(code="HJ11-01")
    wrong = VALID_ID[:-1] + "2"
    errors = answers_validate(
        version=version, answers=_valid_settlement(subject_id_number=wrong)
    )
    assert list(errors) == ["subject_id_number"]
    assert "校验码" in errors["subject_id_number"][0]


def test_choice_phone_and_date_are_checked():
    version = item_version_get(code="HJ09-01")
    answers = _valid_settlement(
        destination=None,
        owner_is_self="maybe",
        phone="12345",
        marriage_date="2020-13-40",
    )
    errors = answers_validate(version=version, answers=answers)
    assert set(errors) == {"owner_is_self", "phone", "marriage_date"}
    version = item_version_get(code="HJ11-01")
    errors = answers_validate(
        version=version, answers=_valid_settlement(destination="hotel")
    )
    assert errors == {"destination": ["请从列表中选择拟落户地。"]}


def test_address_must_be_a_street_of_the_district():
    version = item_version_get(code="HJ11-01")
    bad = dict(ADDRESS, street="310101002")
    errors = answers_validate(
        version=version, answers=_valid_settlement(destination_address=bad)
    )
    assert list(errors) == ["destination_address"]


def test_family_member_sub_fields_are_addressed_by_index():
    version = item_version_get(code="HJ11-01")
    members = [
        {"name": "李四", "relation": "spouse", "birth_date": "1990-01-01"},
        {
            "name": "",
            "relation": "cousin",
            "birth_date": "2015-05-05",
            "id_number": "123",
        },
    ]
    errors = answers_validate(
        version=version, answers=_valid_settlement(family_members=members)
    )
    assert set(errors) == {
        "family_members.1.name",
        "family_members.1.relation",
        "family_members.1.id_number",
    }


def _slots(code, answers):
    return [
        m["slot"]
        for m in required_materials(
            version=item_version_get(code=code), answers=answers
        )
    ]


def test_destination_decides_the_receiving_household_materials():
    public = _slots("HJ11-01", _valid_settlement())
    assert "community_public_proof" in public
    assert "unit_collective_consent" not in public
    assert "family_destination_title" not in public

    family = _slots(
        "HJ11-01", _valid_settlement(destination="family", owner_is_self=False)
    )
    assert {
        "family_destination_title",
        "family_destination_consent",
        "family_destination_hukou_book",
    } <= set(family)
    assert "community_public_proof" not in family

    owner = _slots(
        "HJ11-01", _valid_settlement(destination="family", owner_is_self=True)
    )
    assert "family_destination_consent" not in owner


def test_materials_are_expanded_per_family_member():
    members = [
        {"name": "李四", "relation": "spouse", "birth_date": "1990-01-01"},
        {"name": "张小", "relation": "child", "birth_date": "2015-05-05"},
    ]
    materials = required_materials(
        version=item_version_get(code="HJ11-01"),
        answers=_valid_settlement(family_members=members),
    )
    slots = {m["slot"]: m for m in materials}
    assert {
        "member_id_card.0",
        "member_id_card.1",
        "member_marriage_certificate.0",
        "member_birth_certificate.1",
    } <= set(slots)
    assert "member_marriage_certificate.1" not in slots
    assert "member_birth_certificate.0" not in slots
    assert slots["member_id_card.1"]["member_name"] == "张小"


def test_marriage_certificate_only_when_joining_a_spouse():
    base = {"kin_relation": "parent_child"}
    assert "marriage_certificate" not in _slots("HJ02-03", base)
    assert "kinship_proof" in _slots("HJ02-03", base)
    spouse = _slots("HJ02-03", {"kin_relation": "spouse"})
    assert "marriage_certificate" in spouse
    assert "kinship_proof" not in spouse


def test_optional_materials_are_listed_as_not_required():
    materials = required_materials(version=item_version_get(code="HJ03-01"), answers={})
    optional = [m for m in materials if not m["required"]]
    assert [m["slot"] for m in optional] == ["deceased_id_card"]
