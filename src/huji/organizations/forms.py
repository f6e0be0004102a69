"""An "address in Shanghai" for any form: district, street/town, detail.

    from huji.organizations.forms import ShanghaiAddressField

    class MoveForm(forms.Form):
        address = ShanghaiAddressField(label=_("迁入地址"))

    form.cleaned_data["address"]  # → ShanghaiAddress(district, street, detail)

Rendered as three controls (区 / 街道（镇） / 详细地址). Without JavaScript the street
select lists every street grouped by district and the pair is validated on submit;
with htmx, choosing a district narrows the street list. To render it with its label
and errors::

    {% include "organizations/_address_field.html" with field=form.address %}
"""

from dataclasses import dataclass
from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huji.organizations import selectors
from huji.organizations.constants import DivisionLevel
from huji.organizations.models import Division

DETAIL_MAX_LENGTH = 200


@dataclass(frozen=True)
class ShanghaiAddress:
    district: Division
    street: Division
    detail: str

    @property
    def text(self) -> str:
        return f"上海市{self.district.name}{self.street.name}{self.detail}"

    def jurisdiction(self) -> selectors.Jurisdiction:
        return selectors.jurisdiction_resolve(street_code=self.street.code)

    def __str__(self) -> str:
        return self.text


def street_groups(district_code: str = "") -> tuple[list, list]:
    """(streets of the district, []) when a known district is given, else
    ([], [(district name, streets), …]) for every district."""
    if district_code:
        try:
            return list(selectors.streets_list(district_code=district_code)), []
        except selectors.UnknownCodeError:
            pass
    streets = Division.objects.filter(level=DivisionLevel.STREET).select_related(
        "parent"
    )
    streets = streets.order_by("parent__code", "code")
    groups = [
        (district.name, list(items))
        for district, items in groupby(streets, key=lambda s: s.parent)
    ]
    return [], groups


class ShanghaiAddressWidget(forms.MultiWidget):
    template_name = "organizations/widgets/shanghai_address.html"

    def __init__(self, attrs=None):
        super().__init__([forms.Select, forms.Select, forms.TextInput], attrs)

    def decompress(self, value):
        if isinstance(value, ShanghaiAddress):
            return [value.district.code, value.street.code, value.detail]
        if isinstance(value, Division) and value.level == DivisionLevel.STREET:
            return [value.parent.code, value.code, ""]
        return ["", "", ""]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = value if isinstance(value, list | tuple) else self.decompress(value)
        values = [str(v or "") for v in [*values, "", "", ""][:3]]
        base_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        streets, groups = street_groups(values[0])
        context.update(
            {
                "names": [f"{name}_{i}" for i in range(3)],
                "ids": [f"{base_id}_{i}" for i in range(3)],
                "values": values,
                "districts": list(selectors.districts_list()),
                "streets": streets,
                "groups": groups,
                "has_district": bool(streets),
                "selected": values[1],
                "options_url": reverse("api:street_options"),
                "detail_max_length": DETAIL_MAX_LENGTH,
            }
        )
        return context


class ShanghaiAddressField(forms.Field):
    """District + street/town + detail; cleans to a ``ShanghaiAddress``."""

    widget = ShanghaiAddressWidget

    def __init__(self, *, require_detail: bool = True, **kwargs):
        self.require_detail = require_detail
        super().__init__(**kwargs)

    def to_python(self, value):
        parts = list(value) if isinstance(value, list | tuple) else []
        return [str(p or "").strip() for p in [*parts, "", "", ""][:3]]

    def clean(self, value):
        district_code, street_code, detail = self.to_python(value)
        if not (district_code or street_code or detail) and not self.required:
            return None
        errors = []
        if not district_code:
            errors.append(_("请选择所在区。"))
        if not street_code:
            errors.append(_("请选择所在街道（镇）。"))
        if self.require_detail and not detail:
            errors.append(_("请填写详细地址（路、弄、号、室）。"))
        if len(detail) > DETAIL_MAX_LENGTH:
            errors.append(
                _("详细地址不能超过 %(max)d 个字。") % {"max": DETAIL_MAX_LENGTH}
            )
        if errors:
            raise ValidationError(errors, code="incomplete")
        try:
            district = selectors.district_get(district_code)
        except selectors.UnknownCodeError as exc:
            raise ValidationError(_("请从列表中选择所在区。"), code="district") from exc
        try:
            street = selectors.street_get(
                street_code=street_code, district_code=district.code
            )
        except selectors.UnknownCodeError as exc:
            raise ValidationError(
                _("所选街道（镇）不在%(district)s，请重新选择街道（镇）。")
                % {"district": district.name},
                code="street",
            ) from exc
        address = ShanghaiAddress(district=district, street=street, detail=detail)
        self.run_validators(address)
        return address

    def has_changed(self, initial, data):
        before = self.widget.decompress(initial)
        if isinstance(initial, list | tuple):
            before = list(initial)
        return self.to_python(before) != self.to_python(data)


class ShanghaiAddressForm(forms.Form):
    """A form with just the address, for pages that ask for nothing else."""

    address = ShanghaiAddressField(label=_("地址"))
