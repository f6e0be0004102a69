import pytest
from django import forms
from django.template import Context, Template

from huji.organizations.forms import ShanghaiAddressField, ShanghaiAddressForm
from huji.organizations.models import Division

pytestmark = pytest.mark.django_db


def _form(district="310104", street="310104014", detail="漕溪北路 88 弄 3 号"):
    return ShanghaiAddressForm(
        data={"address_0": district, "address_1": street, "address_2": detail}
    )


def test_a_valid_pair_cleans_to_an_address_with_its_jurisdiction():
    form = _form()

    assert form.is_valid(), form.errors
    address = form.cleaned_data["address"]
    assert address.text == "上海市徐汇区徐家汇街道漕溪北路 88 弄 3 号"
    assert address.jurisdiction().police_station.code == "310104014-PCS"


def test_a_street_of_another_district_is_refused_naming_the_field():
    form = _form(district="310101")  # 黄浦区 + 徐家汇街道

    assert not form.is_valid()
    assert "所选街道（镇）不在黄浦区" in form.errors["address"][0]


@pytest.mark.parametrize(
    ("district", "street", "detail", "message"),
    [
        ("", "310104014", "1 号", "请选择所在区"),
        ("310104", "", "1 号", "请选择所在街道（镇）"),
        ("310104", "310104014", "", "请填写详细地址"),
        ("999999", "310104014", "1 号", "请从列表中选择所在区"),
        ("310104", "310104014", "号" * 201, "不能超过 200 个字"),
    ],
)
def test_incomplete_addresses_say_what_to_fix(district, street, detail, message):
    form = _form(district, street, detail)

    assert not form.is_valid()
    assert any(message in error for error in form.errors["address"])


def test_optional_field_accepts_nothing():
    class Optional(forms.Form):
        address = ShanghaiAddressField(required=False, require_detail=False)

    form = Optional(data={})
    assert form.is_valid()
    assert form.cleaned_data["address"] is None


def test_widget_without_district_lists_every_street_grouped():
    html = str(ShanghaiAddressForm()["address"])

    assert html.count("<optgroup") == 16
    assert 'name="address_0"' in html and 'name="address_2"' in html
    assert 'hx-get="/api/v1/organizations/street-options?source=address_0"' in html
    assert 'hx-target="#id_address_1"' in html


def test_widget_after_an_error_keeps_the_choice_and_narrows_the_list():
    form = _form(detail="")
    form.is_valid()
    html = str(form["address"])

    assert "<optgroup" not in html
    assert '<option value="310104014" selected>徐家汇街道</option>' in html
    assert '<option value="310104" selected>徐汇区</option>' in html


def test_initial_street_is_shown():
    street = Division.objects.get(code="310101002")
    form = ShanghaiAddressForm(initial={"address": street})

    html = str(form["address"])
    assert '<option value="310101" selected>' in html
    assert '<option value="310101002" selected>' in html


def test_partial_renders_label_and_errors():
    form = _form(district="310101")
    form.is_valid()
    html = Template(
        '{% include "organizations/_address_field.html" with field=form.address %}'
    ).render(Context({"form": form}))

    assert "<legend>地址" in html
    assert "field--error" in html
    assert "所选街道（镇）不在黄浦区" in html
