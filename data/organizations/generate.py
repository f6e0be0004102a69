"""Write organisations.json from shanghai_divisions.json and the naming rules.

    .venv/bin/python data/organizations/generate.py

Entries already in organisations.json are kept as they are (so names, addresses and
jurisdictions corrected by hand survive a new run); only missing organisations and
missing jurisdiction rows are added. Then load with ``huji load_organizations``.
"""

import json
from pathlib import Path

from huji.organizations import naming

HERE = Path(__file__).resolve().parent
DIVISIONS = HERE / "shanghai_divisions.json"
ORGANISATIONS = HERE / "organisations.json"

SOURCE = (
    "Huji organisations file. City-level units and the 16 district branches "
    "(上海市公安局<区>分局) carry their public names. Police stations are "
    "reconstructed: one per street or town, named <short name>派出所, because the "
    "real station list and boundaries are not published as data (source "
    "'reconstructed'). Community affairs acceptance service centers follow the "
    "official pattern <街道/镇名>社区事务受理服务中心 (source 'official' for streets, "
    "towns and townships; 'reconstructed' for development zones, farms and parks, "
    "which have no center of their own). Addresses and phones only where known; "
    "blank otherwise. Water, rail and airport branches are out of scope."
)

CITY = [
    {
        "code": "SHPSB",
        "name": "上海市公安局",
        "name_en": "Shanghai Municipal Public Security Bureau",
        "kind": "city_bureau",
        "source": "official",
        "phone": "962110",
        "comment": "962110: the bureau's public service hotline (非紧急咨询).",
    },
    {
        "code": "SHPSB-POP",
        "name": "上海市公安局人口管理办公室",
        "name_en": "Population Administration Office, Shanghai Municipal PSB",
        "kind": "population_office",
        "parent": "SHPSB",
        "source": "official",
    },
    {
        "code": "SHPSB-CARD",
        "name": "上海市公安局制证中心",
        "name_en": "Card Production Center, Shanghai Municipal PSB",
        "kind": "card_production",
        "parent": "SHPSB-POP",
        "source": "reconstructed",
        "comment": "The exact name of the unit producing residence permits is not "
        "public; reconstructed.",
    },
    {
        "code": "POST-SH",
        "name": "中国邮政集团有限公司上海市分公司",
        "name_en": "China Post Group Co., Ltd. Shanghai Branch",
        "kind": "postal",
        "source": "official",
        "phone": "11185",
        "comment": "Delivers residence permits and certificates (投递). 11185: China "
        "Post's customer service number.",
    },
]


def _entry(**values) -> dict:
    return {key: value for key, value in values.items() if value not in ("", None)}


def build(divisions: dict, existing: dict | None = None) -> dict:
    existing = existing or {}
    known = {org["code"]: org for org in existing.get("organisations", [])}
    rows = {row["street"]: row for row in existing.get("jurisdiction", [])}
    organisations = [known.pop(org["code"], org) for org in CITY]
    jurisdiction = []
    for district in divisions["districts"]:
        code, name = district["code"], district["name"]
        branch = _entry(
            code=f"{code}-FJ",
            name=naming.branch_name(name),
            name_en=naming.branch_name_en(code),
            kind="district_branch",
            parent="SHPSB",
            district=code,
            source="official",
        )
        organisations.append(known.pop(branch["code"], branch))
        for street in district["streets"]:
            organisations.extend(_street_organisations(code, street, known))
            jurisdiction.append(
                rows.pop(street["code"], None)
                or {
                    "street": street["code"],
                    "police_station": f"{street['code']}-PCS",
                    "service_center": f"{street['code']}-CTR",
                }
            )
    # Whatever else was added by hand (extra stations, …) stays, after the rest.
    organisations.extend(known.values())
    jurisdiction.extend(rows.values())
    return {
        "source": existing.get("source", SOURCE),
        "organisations": organisations,
        "jurisdiction": jurisdiction,
    }


def _street_organisations(district_code: str, street: dict, known: dict) -> list:
    code, name = street["code"], street["name"]
    station = _entry(
        code=f"{code}-PCS",
        name=naming.station_name(name),
        kind="police_station",
        parent=f"{district_code}-FJ",
        district=district_code,
        source="reconstructed",
    )
    center = _entry(
        code=f"{code}-CTR",
        name=naming.center_name(name),
        kind="service_center",
        district=district_code,
        source="official" if naming.is_community(name) else "reconstructed",
    )
    return [known.pop(station["code"], station), known.pop(center["code"], center)]


def main() -> None:
    divisions = json.loads(DIVISIONS.read_text(encoding="utf-8"))
    existing = None
    if ORGANISATIONS.exists():
        existing = json.loads(ORGANISATIONS.read_text(encoding="utf-8"))
    data = build(divisions, existing)
    ORGANISATIONS.write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(
        f"{ORGANISATIONS.name}: {len(data['organisations'])} organisations, "
        f"{len(data['jurisdiction'])} jurisdiction rows"
    )


if __name__ == "__main__":
    main()
