"""Loading the divisions and organisations from ``data/organizations/``.

One function, ``organisations_load``, used by the data migration (with the
historical models) and by ``huji load_organizations`` (with the current ones). It
creates what is missing and updates what differs, by code, in bulk; it never deletes.
A blank or missing value in the file never erases a value already in the database
(an address entered in the admin survives a reload); everything else follows the
file.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps as global_apps
from django.conf import settings
from django.db import transaction

from huji.organizations.constants import DataSource, DivisionLevel, OrganisationKind

DIVISIONS_FILE = "shanghai_divisions.json"
ORGANISATIONS_FILE = "organisations.json"

ORGANISATION_FIELDS = (
    "name",
    "name_en",
    "kind",
    "parent",
    "district",
    "address",
    "phone",
    "opening_hours",
    "source",
    "is_active",
)
IGNORED_KEYS = {"code", "comment"}

# The organisation code contract (docs/architecture.md).
CODE_PATTERNS = {
    OrganisationKind.DISTRICT_BRANCH: re.compile(r"^(\d{6})-FJ$"),
    OrganisationKind.POLICE_STATION: re.compile(r"^(\d{9})-PCS$"),
    OrganisationKind.SERVICE_CENTER: re.compile(r"^(\d{9})-CTR$"),
}
FIXED_CODES = {
    OrganisationKind.CITY_BUREAU: "SHPSB",
    OrganisationKind.POPULATION_OFFICE: "SHPSB-POP",
    OrganisationKind.CARD_PRODUCTION: "SHPSB-CARD",
    OrganisationKind.POSTAL: "POST-SH",
}


class OrganisationDataError(ValueError):
    """The data files are inconsistent; the message says which entry and why."""


@dataclass
class LoadResult:
    divisions_created: int = 0
    divisions_updated: int = 0
    organisations_created: int = 0
    organisations_updated: int = 0

    def __str__(self) -> str:
        return (
            f"区划 divisions: {self.divisions_created} created, "
            f"{self.divisions_updated} updated; "
            f"机构 organisations: {self.organisations_created} created, "
            f"{self.organisations_updated} updated"
        )


def default_path() -> Path:
    return Path(settings.HUJI_DOMAIN_DIR) / "organizations"


def read_files(path: Path | str | None = None) -> tuple[dict, dict]:
    directory = Path(path) if path else default_path()
    try:
        divisions = json.loads((directory / DIVISIONS_FILE).read_text("utf-8"))
        organisations = json.loads((directory / ORGANISATIONS_FILE).read_text("utf-8"))
    except FileNotFoundError as exc:
        raise OrganisationDataError(
            f"Organisation data not found: {exc.filename}. Pass the directory "
            f"holding {DIVISIONS_FILE} and {ORGANISATIONS_FILE}."
        ) from exc
    return divisions, organisations


def organisations_load(*, path: Path | str | None = None, apps=None) -> LoadResult:
    """Create or update every division and organisation in the data files."""
    apps = apps or global_apps
    division_model = apps.get_model("organizations", "Division")
    organisation_model = apps.get_model("organizations", "Organisation")
    divisions, organisations = read_files(path)
    districts, streets = _division_rows(divisions)
    org_rows = _organisation_rows(organisations, districts)
    jurisdiction = _jurisdiction_rows(organisations, streets, org_rows)
    result = LoadResult()
    with transaction.atomic():
        ids = _upsert(division_model, districts, result, "divisions")
        for row in org_rows.values():
            row["district"] = ids.get(row["district"]) if row["district"] else None
        for level in _by_depth(org_rows):
            parents = {row["parent"] for row in level.values() if row["parent"]}
            level_ids = _ids(organisation_model, list(parents))
            for row in level.values():
                parent = row["parent"]
                row["parent"] = level_ids.get(parent) if parent else None
            _upsert(organisation_model, level, result, "organisations")
        org_ids = _ids(organisation_model, list(org_rows))
        for code, row in streets.items():
            row["parent"] = ids[row["parent"]]
            row["police_station"] = org_ids[jurisdiction[code][0]]
            row["service_center"] = org_ids[jurisdiction[code][1]]
        _upsert(division_model, streets, result, "divisions")
    return result


def _division_rows(data: dict) -> tuple[dict, dict]:
    districts, streets = {}, {}
    for district in data.get("districts", []):
        code = district["code"]
        if not re.fullmatch(r"31\d{4}", code) or code in districts:
            raise OrganisationDataError(f"District code {code!r} is invalid or twice.")
        districts[code] = {
            "name": district["name"],
            "level": DivisionLevel.DISTRICT.value,
        }
        for street in district.get("streets", []):
            street_code = street["code"]
            if not re.fullmatch(code + r"\d{3}", street_code) or street_code in streets:
                raise OrganisationDataError(
                    f"Street code {street_code!r} is invalid, twice, or not in "
                    f"district {code}."
                )
            streets[street_code] = {
                "name": street["name"],
                "level": DivisionLevel.STREET.value,
                "parent": code,
            }
    if not districts:
        raise OrganisationDataError(f"{DIVISIONS_FILE} lists no districts.")
    return districts, streets


def _organisation_rows(data: dict, districts: dict) -> dict:
    rows: dict[str, dict] = {}
    kinds, sources = set(OrganisationKind.values), set(DataSource.values)
    for entry in data.get("organisations", []):
        code = entry.get("code", "")
        unknown = set(entry) - set(ORGANISATION_FIELDS) - IGNORED_KEYS
        if not code or code in rows or unknown:
            raise OrganisationDataError(
                f"Organisation {code!r}: code missing or twice, or unknown keys "
                f"{sorted(unknown)}."
            )
        row = {field: entry.get(field) for field in ORGANISATION_FIELDS}
        row["source"] = row["source"] or DataSource.OFFICIAL.value
        if row["kind"] not in kinds or row["source"] not in sources or not row["name"]:
            raise OrganisationDataError(
                f"Organisation {code}: name missing, or unknown kind/source."
            )
        _check_code(code, row, districts)
        rows[code] = row
    for code, row in rows.items():
        if row["parent"] and row["parent"] not in rows:
            raise OrganisationDataError(
                f"Organisation {code}: parent {row['parent']} is not in the file."
            )
    return rows


def _check_code(code: str, row: dict, districts: dict) -> None:
    kind = row["kind"]
    if row["district"] and row["district"] not in districts:
        raise OrganisationDataError(
            f"Organisation {code}: district {row['district']} is not a district."
        )
    if kind in FIXED_CODES and code != FIXED_CODES[kind]:
        raise OrganisationDataError(
            f"Organisation {code}: a {kind} must have code {FIXED_CODES[kind]}."
        )
    pattern = CODE_PATTERNS.get(kind)
    if pattern is None:
        return
    match = pattern.match(code)
    if not match or not row["district"] or not match[1].startswith(row["district"]):
        raise OrganisationDataError(
            f"Organisation {code}: a {kind} code must look like "
            f"{pattern.pattern} and lie in its district."
        )


def _jurisdiction_rows(data: dict, streets: dict, org_rows: dict) -> dict:
    result: dict[str, tuple[str, str]] = {}
    for row in data.get("jurisdiction", []):
        street = row.get("street")
        station, center = row.get("police_station"), row.get("service_center")
        if street not in streets or street in result:
            raise OrganisationDataError(
                f"Jurisdiction: street {street!r} is unknown or listed twice."
            )
        for code, kind in (
            (station, OrganisationKind.POLICE_STATION),
            (center, OrganisationKind.SERVICE_CENTER),
        ):
            if code not in org_rows or org_rows[code]["kind"] != kind:
                raise OrganisationDataError(
                    f"Jurisdiction of {street}: {code!r} is not a {kind} in the file."
                )
        result[street] = (station, center)
    missing = sorted(set(streets) - set(result))
    if missing:
        raise OrganisationDataError(
            f"Jurisdiction: no station and center for streets {missing[:5]}…"
        )
    return result


def _by_depth(rows: dict) -> list[dict]:
    """The organisations in levels, parents before their children."""
    depth: dict[str, int] = {}

    def depth_of(code: str, seen: tuple = ()) -> int:
        if code in seen:
            raise OrganisationDataError(f"Organisation {code}: parent cycle.")
        if code not in depth:
            parent = rows[code]["parent"]
            depth[code] = 0 if not parent else depth_of(parent, (*seen, code)) + 1
        return depth[code]

    levels: dict[int, dict] = {}
    for code in rows:
        levels.setdefault(depth_of(code), {})[code] = rows[code]
    return [levels[d] for d in sorted(levels)]


def _ids(model, codes: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        found.update(model.objects.filter(code__in=chunk).values_list("code", "pk"))
    return found


def _attname(model, field: str) -> str:
    return model._meta.get_field(field).attname


def _upsert(model, rows: dict, result: LoadResult, counter: str) -> dict[str, int]:
    """Create missing rows, update differing ones; return code → pk for all."""
    existing = {obj.code: obj for obj in model.objects.filter(code__in=list(rows))}
    to_create, to_update, changed_fields = [], [], set()
    for code, values in rows.items():
        values = {_attname(model, f): v for f, v in values.items()}
        obj = existing.get(code)
        if obj is None:
            given = {k: v for k, v in values.items() if v is not None}
            to_create.append(model(code=code, **given))
            continue
        changed = False
        for attname, value in values.items():
            if value in ("", None) or getattr(obj, attname) == value:
                continue
            setattr(obj, attname, value)
            changed_fields.add(attname)
            changed = True
        if changed:
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    setattr(
        result,
        f"{counter}_created",
        getattr(result, f"{counter}_created") + len(to_create),
    )
    setattr(
        result,
        f"{counter}_updated",
        getattr(result, f"{counter}_updated") + len(to_update),
    )
    return _ids(model, list(rows))
