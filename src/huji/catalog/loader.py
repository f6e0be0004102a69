"""Loading the catalog data files (``data/catalog/*.toml``) into versions."""

from huji.catalog.constants import FieldType, MaterialKind, Route

REQUIRED_KEYS = ("name", "route", "time_limits")


def definition_check(definition: dict) -> list[str]:
    """Problems with a full item definition; empty when it can be published."""
    problems: list[str] = []
    for key in REQUIRED_KEYS:
        if key not in definition:
            problems.append(f"missing {key}")
    if definition.get("route") not in Route.values:
        problems.append(f"unknown route {definition.get('route')!r}")
    fields = (definition.get("form") or {}).get("fields") or []
    for field in fields:
        if field.get("type") not in FieldType.values:
            problems.append(f"field {field.get('name')}: unknown type")
    for material in definition.get("materials") or []:
        if material.get("kind") not in MaterialKind.values:
            problems.append(f"material {material.get('code')}: unknown kind")
    return problems
