"""Django forms built from an item version's form schema, for the resident pages.

``build_form`` gives a Form for the non-repeatable fields; ``build_member_formset``
gives a formset for the repeatable list of accompanying family members. Field
validation mirrors ``services.answers_validate`` (which stays the authority: the
view should run it on the assembled answers).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from huji.catalog.constants import RELATIONS, FieldType
from huji.catalog.models import ItemVersion
from huji.catalog.validation import _check_value
from huji.organizations.forms import ShanghaiAddressWidget


class AddressWidget(ShanghaiAddressWidget):
    """The organizations app's district / street / detail controls; the answer is
    stored as ``{"district", "street", "detail"}`` codes and text."""

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("district"), value.get("street"), value.get("detail")]
        return super().decompress(value)


class AddressField(forms.MultiValueField):
    widget = AddressWidget

    def __init__(self, **kwargs):
        super().__init__(
            fields=[forms.CharField(), forms.CharField(), forms.CharField()],
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list):
        if not data_list:
            return None
        district, street, detail = (list(data_list) + [None] * 3)[:3]
        return {
            "district": district or "",
            "street": street or "",
            "detail": detail or "",
        }


def _django_field(spec: dict) -> forms.Field:
    kind = spec.get("type", FieldType.TEXT)
    common = {
        "label": spec.get("label") or spec["name"],
        "required": bool(spec.get("required")),
        "help_text": spec.get("help", ""),
        "error_messages": {
            "required": _("请填写%(label)s。")
            % {"label": spec.get("label") or spec["name"]}
        },
    }
    if kind == FieldType.TEXTAREA:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if kind == FieldType.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind in (FieldType.CHOICE, FieldType.RELATION):
        choices = spec.get("choices") or RELATIONS
        return forms.ChoiceField(
            choices=[("", "—— 请选择 ——"), *[(str(v), lbl) for v, lbl in choices]],
            **common,
        )
    if kind == FieldType.BOOLEAN:
        return forms.TypedChoiceField(
            choices=[("", "—— 请选择 ——"), ("true", _("是")), ("false", _("否"))],
            coerce=lambda v: v == "true",
            empty_value=None,
            **common,
        )
    if kind == FieldType.ADDRESS:
        return AddressField(**common)
    if kind == FieldType.ID_NUMBER:
        return forms.CharField(
            max_length=18,
            widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
            **common,
        )
    if kind == FieldType.PHONE:
        return forms.CharField(
            max_length=11,
            widget=forms.TextInput(
                attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}
            ),
            **common,
        )
    if kind == FieldType.NUMBER:
        return forms.CharField(
            widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
        )
    return forms.CharField(**common)


class SchemaForm(forms.Form):
    schema: list[dict] = []

    def clean(self):
        cleaned = super().clean()
        for spec in self.schema:
            name = spec["name"]
            value = cleaned.get(name)
            if name in self.errors or value in (None, "", []):
                continue
            message = _check_value(spec, value)
            if message:
                self.add_error(name, message)
        return cleaned


def _form_class(fields: list[dict], name: str) -> type[SchemaForm]:
    attrs = {spec["name"]: _django_field(spec) for spec in fields}
    attrs["schema"] = fields
    return type(name, (SchemaForm,), attrs)


def build_form(*, version: ItemVersion, data=None, initial=None) -> SchemaForm:
    """A Form for the item version's non-repeatable fields."""
    fields = [
        f for f in version.form_fields if f.get("type") != FieldType.FAMILY_MEMBERS
    ]
    form_class = _form_class(fields, f"ItemForm_{version.item_id}_{version.number}")
    return form_class(data=data, initial=initial)


def build_member_formset(
    *, version: ItemVersion, data=None, initial=None, prefix: str | None = None
):
    """A formset for the repeatable family-members field, or None if the item has
    none. ``prefix`` defaults to the field's name."""
    spec = next(
        (f for f in version.form_fields if f.get("type") == FieldType.FAMILY_MEMBERS),
        None,
    )
    if spec is None:
        return None
    form_class = _form_class(spec.get("fields") or [], "FamilyMemberForm")
    formset_class = forms.formset_factory(
        form_class,
        extra=0 if initial else 1,
        min_num=int(spec.get("min") or 0),
        max_num=int(spec.get("max") or 10),
        validate_min=True,
        validate_max=True,
        can_delete=True,
    )
    return formset_class(data=data, initial=initial, prefix=prefix or spec["name"])
