"""Evaluating the conditional rules of the catalog data (materials that apply only
when an answer says so)."""

from typing import Any

from huji.catalog.constants import FieldType


def family_field_name(fields: list[dict]) -> str | None:
    for field in fields:
        if field.get("type") == FieldType.FAMILY_MEMBERS:
            return field["name"]
    return None


def _lookup(name: str, answers: dict, member: dict | None) -> Any:
    # "family_members.relation" (or a bare sub-field name) reads the current member.
    if member is not None:
        sub = name.split(".", 1)[1] if "." in name else name
        if sub in member:
            return member.get(sub)
    return answers.get(name)


def _norm(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("true", "on", "yes", "1"):
        return True
    if isinstance(value, str) and value.lower() in ("false", "off", "no", "0", ""):
        return False if value != "" else value
    return value


def condition_holds(rule: Any, answers: dict, *, member: dict | None = None) -> bool:
    """``True``/``False``, or ``{"field", "equals"|"in"|"not_in"}``, or
    ``{"all": [...]}`` / ``{"any": [...]}`` of such rules."""
    if rule is True or rule is None:
        return True
    if rule is False:
        return False
    if "all" in rule:
        return all(condition_holds(r, answers, member=member) for r in rule["all"])
    if "any" in rule:
        return any(condition_holds(r, answers, member=member) for r in rule["any"])
    value = _lookup(rule["field"], answers, member)
    if "equals" in rule:
        expected = rule["equals"]
        if isinstance(expected, bool):
            return _norm(value) is expected
        return value == expected
    if "in" in rule:
        return value in rule["in"]
    if "not_in" in rule:
        return value not in rule["not_in"] and value not in (None, "")
    return bool(value)


def rule_fields(rule: Any) -> list[str]:
    """Every field name a rule refers to (for data checks)."""
    if not isinstance(rule, dict):
        return []
    if "all" in rule or "any" in rule:
        return [f for r in rule.get("all", rule.get("any", [])) for f in rule_fields(r)]
    return [rule["field"]]
