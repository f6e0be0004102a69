"""Naming rules for the organisations reconstructed from the division list.

Used once to write ``data/organizations/organisations.json`` (see
``data/organizations/generate.py``); the loader reads the file, not these rules, so
an entry corrected by hand in the file stays corrected.
"""

DISTRICT_PINYIN = {
    "310101": "Huangpu",
    "310104": "Xuhui",
    "310105": "Changning",
    "310106": "Jing'an",
    "310107": "Putuo",
    "310109": "Hongkou",
    "310110": "Yangpu",
    "310112": "Minhang",
    "310113": "Baoshan",
    "310114": "Jiading",
    "310115": "Pudong",
    "310116": "Jinshan",
    "310117": "Songjiang",
    "310118": "Qingpu",
    "310120": "Fengxian",
    "310151": "Chongming",
}

# Suffixes of ordinary streets and towns, which each have a community affairs
# acceptance service center of their own. Other units (development zones, farms,
# industrial parks) are statistical units without one.
COMMUNITY_SUFFIXES = ("街道", "镇", "乡")


def is_community(street_name: str) -> bool:
    """A street (街道), town (镇) or township (乡), not a zone, farm or park."""
    return street_name.endswith(COMMUNITY_SUFFIXES)


def branch_name(district_name: str) -> str:
    """上海市公安局<district short name>分局; 浦东新区 → 上海市公安局浦东分局."""
    short = district_name.removesuffix("新区").removesuffix("区")
    return f"上海市公安局{short}分局"


def branch_name_en(district_code: str) -> str:
    pinyin = DISTRICT_PINYIN.get(district_code, "")
    if not pinyin:
        return ""
    return f"{pinyin} Branch, Shanghai Municipal Public Security Bureau"


def station_short_name(street_name: str) -> str:
    """The part of a street or town name a station is usually named after.

    徐家汇街道 → 徐家汇, 真如镇街道 → 真如镇, 华泾镇 → 华泾, 川沙新镇 → 川沙,
    华新镇 → 华新, 堡镇 → 堡镇 (a one-character remainder keeps its
    suffix), 新村乡 → 新村;
    zones, farms and parks keep their full name.
    """
    if street_name.endswith("街道"):
        return street_name.removesuffix("街道")
    for suffix in ("新镇", "镇", "乡"):
        short = street_name.removesuffix(suffix)
        if short != street_name and len(short) >= 2:
            return short
    return street_name


def station_name(street_name: str) -> str:
    return f"{station_short_name(street_name)}派出所"


def center_name(street_name: str) -> str:
    """The official pattern: 徐家汇街道社区事务受理服务中心."""
    return f"{street_name}社区事务受理服务中心"
