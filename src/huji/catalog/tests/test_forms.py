"""Django forms built from an item version's schema."""

import pytest

from huji.catalog.forms import build_form, build_member_formset
from huji.catalog.loader import questionnaire_read
from huji.catalog.models import Item
from huji.catalog.selectors import item_version_get

pytestmark = pytest.mark.django_db

VALID_ID = "360426199101010071"


def _data(**extra):
    data = {
        "subject_name": "张三",
        "subject_id_number": VALID_ID,
        "origin_address": "江苏省南京市鼓楼区中山路1号",
        "destination": "community_public",
        "destination_address_0": "310104",
        "destination_address_1": "310104014",
        "destination_address_2": "天钥桥路100弄1号101室",
        "owner_is_self": "",
        "phone": "13912345678",
    }
    data.update(extra)
    return data


def test_build_form_cleans_to_the_answer_shapes():
    version = item_version_get(code="HJ11-01")
    form = build_form(version=version, data=_data())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["destination_address"] == {
        "district": "310104",
        "street": "310104014",
        "detail": "天钥桥路100弄1号101室",
    }
    assert "family_members" not in form.fields
    html = form.as_div()
    assert 'name="destination_address_0"' in html and "徐汇区" in html


def test_build_form_shows_the_schema_errors_in_chinese():
    version = item_version_get(code="HJ11-01")
    form = build_form(
        version=version,
        data=_data(subject_id_number="360426199101010072", subject_name=""),
    )
    assert not form.is_valid()
    assert form.errors["subject_name"] == ["请填写落户人姓名。"]
    assert "校验码" in form.errors["subject_id_number"][0]


def test_member_formset_for_items_with_family_members():
    version = item_version_get(code="HJ11-01")
    formset = build_member_formset(version=version)
    assert formset.prefix == "family_members"
    assert set(formset.empty_form.fields) - {"DELETE"} == {
        "name",
        "id_number",
        "relation",
        "birth_date",
    }
    assert build_member_formset(version=item_version_get(code="HJ01-01")) is None


def test_every_questionnaire_option_is_a_published_item():
    codes = {o["item"] for i in questionnaire_read() for o in i["options"]}
    published = set(
        Item.objects.filter(code__in=codes, current_version__isnull=False).values_list(
            "code", flat=True
        )
    )
    assert codes == published
