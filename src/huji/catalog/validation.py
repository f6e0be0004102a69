"""Validating a resident's answers against an item version's form schema.

Messages are in Chinese and name the field, as residents see them.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from stdnum.cn import ric

from huji.catalog.constants import RELATIONS, FieldType

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
DISTRICT_RE = re.compile(r"^31\d{4}$")
STREET_RE = re.compile(r"^31\d{7}$")


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _choice_values(field: dict) -> list[str]:
    if field.get("choices"):
        return [str(c[0]) for c in field["choices"]]
    if field.get("type") == FieldType.RELATION:
        return [value for value, _label in RELATIONS]
    return []


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _check_value(field: dict, value: Any) -> str | None:
    """One error message for a non-empty value, or None."""
    kind = field.get("type", FieldType.TEXT)
    label = str(field.get("label") or field["name"])
    if kind in (FieldType.TEXT, FieldType.TEXTAREA):
        if not isinstance(value, str):
            return _("%(label)s应为文字。") % {"label": label}
        limit = field.get("max") or (2000 if kind == FieldType.TEXTAREA else 200)
        if len(value) > int(limit):
            return _("%(label)s不能超过%(n)s个字。") % {"label": label, "n": limit}
        if field.get("min") and len(value.strip()) < int(field["min"]):
            return _("%(label)s至少%(n)s个字。") % {"label": label, "n": field["min"]}
    elif kind == FieldType.DATE:
        day = parse_date(value)
        if day is None:
            return _("%(label)s不是有效日期，请按“年-月-日”填写。") % {"label": label}
        if field.get("max") == "today" and day > dt.date.today():
            return _("%(label)s不能晚于今天。") % {"label": label}
    elif kind in (FieldType.CHOICE, FieldType.RELATION):
        if str(value) not in _choice_values(field):
            return _("请从列表中选择%(label)s。") % {"label": label}
    elif kind == FieldType.BOOLEAN:
        if value not in (True, False, "true", "false", "on", "yes", "no"):
            return _("请选择%(label)s：是或否。") % {"label": label}
    elif kind == FieldType.ID_NUMBER:
        if not isinstance(value, str) or not ric.is_valid(value.strip().upper()):
            return _(
                "%(label)s不正确：应为18位公民身份号码，请核对最后一位校验码。"
            ) % {"label": label}
    elif kind == FieldType.PHONE:
        if not isinstance(value, str) or not MOBILE_RE.match(value.strip()):
            return _("%(label)s应为11位手机号码。") % {"label": label}
    elif kind == FieldType.NUMBER:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return _("%(label)s应为数字。") % {"label": label}
        if field.get("min") is not None and number < Decimal(str(field["min"])):
            return _("%(label)s不能小于%(n)s。") % {"label": label, "n": field["min"]}
        if field.get("max") is not None and number > Decimal(str(field["max"])):
            return _("%(label)s不能大于%(n)s。") % {"label": label, "n": field["max"]}
    elif kind == FieldType.ADDRESS:
        return _check_address(label, value)
    return None


def _check_address(label: str, value: Any) -> str | None:
    if not isinstance(value, dict):
        return _("%(label)s应包括区、街道（镇）和详细地址。") % {"label": label}
    district = str(value.get("district") or "")
    street = str(value.get("street") or "")
    detail = str(value.get("detail") or "").strip()
    if not DISTRICT_RE.match(district):
        return _("请选择%(label)s所在的区。") % {"label": label}
    if not STREET_RE.match(street) or not street.startswith(district):
        return _("请选择%(label)s所在的街道（镇）。") % {"label": label}
    if len(detail) < 4:
        return _("请填写%(label)s的详细地址（路、弄、号、室）。") % {"label": label}
    from huji.organizations.models import Division

    if (
        Division.objects.exists()
        and not Division.objects.filter(code=street, parent__code=district).exists()
    ):
        return _("%(label)s的街道（镇）不在所选区内，请重新选择。") % {"label": label}
    return None


def validate_fields(fields: list[dict], answers: dict, prefix: str = "") -> dict:
    errors: dict[str, list[str]] = {}
    for field in fields:
        name = field["name"]
        key = f"{prefix}{name}"
        value = answers.get(name)
        label = str(field.get("label") or name)
        if isinstance(value, str) and field.get("type") != FieldType.TEXTAREA:
            value = value.strip()
        if _empty(value):
            if field.get("required"):
                errors[key] = [_("请填写%(label)s。") % {"label": label}]
            continue
        if field.get("type") == FieldType.FAMILY_MEMBERS:
            errors.update(_validate_members(field, value, key))
            continue
        message = _check_value(field, value)
        if message:
            errors[key] = [message]
    return errors


def _validate_members(field: dict, value: Any, key: str) -> dict:
    label = str(field.get("label") or field["name"])
    if not isinstance(value, list):
        return {key: [_("%(label)s格式不正确。") % {"label": label}]}
    errors: dict[str, list[str]] = {}
    if field.get("min") and len(value) < int(field["min"]):
        errors[key] = [
            _("%(label)s至少填写%(n)s人。") % {"label": label, "n": field["min"]}
        ]
    if field.get("max") and len(value) > int(field["max"]):
        errors[key] = [
            _("%(label)s最多填写%(n)s人。") % {"label": label, "n": field["max"]}
        ]
    for index, member in enumerate(value):
        if not isinstance(member, dict):
            errors[f"{key}.{index}"] = [
                _("第%(n)s位家属的信息格式不正确。") % {"n": index + 1}
            ]
            continue
        errors.update(
            validate_fields(field.get("fields") or [], member, prefix=f"{key}.{index}.")
        )
    return errors
