"""Loading the catalog data files (``data/catalog/``) into published versions.

Layout of ``data/catalog/``:

- ``_common.toml``: global ``[defaults]`` for every item, reusable form-field groups
  (``[fields.<name>]``, each a list of fields) and reusable materials
  (``[materials.<code>]``);
- ``HJ01.toml`` … ``HJ13.toml``, ``JZ.toml``: one file per category: ``[category]``,
  ``[defaults]`` for its items, and ``[[items]]``;
- ``regulations/``: ``index.toml`` and the texts of the regulations cited.

In an item, ``fields`` and ``materials`` are lists whose entries are either a full
table, ``"@name"`` (the shared group / material), or ``{ use = "name", ... }``
(the shared material with some keys overridden). ``policy`` lists article
references (``"CZHK 8"``); the loader copies each article's text in. The expanded
result is what a version stores, so a version never changes when shared data does:
the next load publishes a new version instead.

The same function serves the ``catalog_load`` command and the data migration
(which passes historical models through ``apps``).
"""

from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from huji.catalog.constants import FieldType, MaterialKind, Route
from huji.catalog.rules import family_field_name, rule_fields

REQUIRED_KEYS = ("name", "route", "time_limits")
COLUMN_KEYS = (
    "name",
    "name_en",
    "online",
    "route",
    "outside_authority",
    "time_limits",
    "fee_yuan",
    "fee_note",
)
CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
ARTICLE_RE = re.compile(r"^[\s　]*第([一二三四五六七八九十百零]+)条(（[^）]*）)?(.*)$")
CHAPTER_RE = re.compile(r"^[\s　]*第[一二三四五六七八九十]+章")
SECTION_RE = re.compile(r"^[\s　]*([一二三四五六七八九十]+)、(.*)$")


def data_dir() -> Path:
    return Path(
        getattr(settings, "CATALOG_DATA_DIR", "")
        or settings.PROJECT_DIR / "data" / "catalog"
    )


def cn_number(text: str) -> int:
    """第二十四条 → 24 (numbers below 1000)."""
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = CN_DIGITS[char]
    return total + current


def cn_numeral(number: int) -> str:
    """24 → 二十四 (numbers below 100)."""
    digits = "零一二三四五六七八九"
    tens, units = divmod(number, 10)
    if tens == 0:
        return digits[units]
    head = ("" if tens == 1 else digits[tens]) + "十"
    return head + (digits[units] if units else "")


def parse_articles(text: str, style: str) -> dict[str, dict]:
    """Articles (or numbered sections) of a regulation text: key → {title, text}."""
    articles: dict[str, dict] = {}
    current: dict | None = None
    for raw in text.splitlines():
        line = raw.strip().strip("　").strip()
        if not line:
            continue
        match = ARTICLE_RE.match(raw) if style == "article" else SECTION_RE.match(raw)
        if match:
            if style == "article":
                key = str(cn_number(match.group(1)))
                title = (match.group(2) or "").strip("（）")
                body = match.group(3).strip()
                label = f"第{match.group(1)}条"
            else:
                key = match.group(1)
                title, body, label = "", match.group(2).strip(), f"{match.group(1)}、"
            current = {"label": label, "title": title, "lines": [body] if body else []}
            articles[key] = current
            continue
        if style == "article" and CHAPTER_RE.match(raw):
            current = None
            continue
        if current is not None:
            current["lines"].append(line)
    return {
        key: {"label": a["label"], "title": a["title"], "text": "\n".join(a["lines"])}
        for key, a in articles.items()
    }


@dataclass
class Regulations:
    index: dict
    articles: dict[str, dict[str, dict]] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> Regulations:
        with open(directory / "index.toml", "rb") as handle:
            index = tomllib.load(handle)
        regs = cls(index=index)
        for key, meta in index.items():
            if meta.get("style") == "inline":
                regs.articles[key] = {
                    number: {
                        "label": f"第{cn_numeral(int(number))}条",
                        "title": "",
                        "text": text,
                    }
                    for number, text in meta.get("articles", {}).items()
                }
            else:
                text = (directory / meta["file"]).read_text(encoding="utf-8")
                regs.articles[key] = parse_articles(text, meta.get("style", "article"))
        return regs

    def basis(self, ref: str | dict) -> dict:
        if isinstance(ref, dict):
            # A basis without a text in the collection (e.g. a policy only named).
            return {"source": "reconstructed", **ref}
        key, _, article = ref.partition(" ")
        meta = self.index[key]
        try:
            found = self.articles[key][article]
        except KeyError as exc:
            raise CatalogDataError(f"{ref}: article not found in {key}") from exc
        return {
            "ref": ref,
            "regulation": meta["title"],
            "issuer": meta.get("issuer", ""),
            "article": found["label"],
            "article_title": found["title"],
            "text": found["text"],
            "source": meta.get("source", "official"),
        }


class CatalogDataError(ValueError):
    pass


def _read(path: Path) -> dict:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def _merge(base: dict, override: dict) -> dict:
    result = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _expand_fields(entries: list, groups: dict, where: str) -> list[dict]:
    fields: list[dict] = []
    for entry in entries:
        if isinstance(entry, str) and entry.startswith("@"):
            if entry[1:] not in groups:
                raise CatalogDataError(f"{where}: unknown field group {entry}")
            fields.extend(copy.deepcopy(groups[entry[1:]]))
        elif isinstance(entry, dict):
            fields.append(copy.deepcopy(entry))
        else:
            raise CatalogDataError(f"{where}: bad field entry {entry!r}")
    for spec in fields:
        spec.setdefault("required", True)
        spec.setdefault("source", "reconstructed")
        for sub in spec.get("fields", []):
            sub.setdefault("required", True)
    return fields


def _expand_materials(entries: list, shared: dict, where: str) -> list[dict]:
    result: list[dict] = []
    for entry in entries:
        if isinstance(entry, str):
            entry = {"use": entry.lstrip("@")}
        entry = dict(entry)
        name = entry.pop("use", None)
        if name is not None:
            if name not in shared:
                raise CatalogDataError(f"{where}: unknown material {name}")
            base = dict(shared[name], code=shared[name].get("code", name))
            entry = {**base, **entry}
        entry.setdefault("required", True)
        entry.setdefault("pages", {"min": 1, "max": 2})
        entry.setdefault("per_family_member", False)
        entry.setdefault("original_at_window", True)
        entry.setdefault("sample", "")
        entry.setdefault("source", "reconstructed")
        entry.setdefault("name_en", "")
        entry.setdefault("description", "")
        result.append(entry)
    return result


def item_definition(
    raw: dict, *, defaults: dict, common: dict, regulations: Regulations
) -> dict:
    """The full, self-contained definition of one item from its data entry."""
    where = raw.get("code", "?")
    data = _merge(defaults, raw)
    data.pop("code", None)
    # Keywords add up: the category's then the item's own.
    keywords = [*defaults.get("keywords", []), *raw.get("keywords", [])]
    data["keywords"] = list(dict.fromkeys(keywords))
    # `fields` (shared groups and tables) then the item's own `[[items.field]]`.
    entries = data.pop("fields", []) + data.pop("field", [])
    data["form"] = {"fields": _expand_fields(entries, common.get("fields", {}), where)}
    data["materials"] = _expand_materials(
        data.get("materials", []), common.get("materials", {}), where
    )
    data["policy_basis"] = [regulations.basis(ref) for ref in data.pop("policy", [])]
    data["originals"] = data.get("originals") or [
        m["name"] for m in data["materials"] if m.get("original_at_window")
    ]
    data["fee_yuan"] = str(data.get("fee_yuan", "0"))
    return data


def definition_check(definition: dict) -> list[str]:
    """Problems with a full item definition; empty when it can be published."""
    problems: list[str] = []
    for key in REQUIRED_KEYS:
        if key not in definition:
            problems.append(f"missing {key}")
    route = definition.get("route")
    if route not in Route.values:
        problems.append(f"unknown route {route!r}")
    if route == Route.OUTSIDE_APPROVAL:
        if not definition.get("outside_authority"):
            problems.append("outside approval needs outside_authority")
        if definition.get("police_route") not in Route.values:
            problems.append("outside approval needs police_route")
    if not definition.get("policy_basis"):
        problems.append("no policy basis")
    fields = (definition.get("form") or {}).get("fields") or []
    names = {f.get("name") for f in fields}
    if len(names) != len(fields):
        problems.append("duplicate form field names")
    family = family_field_name(fields)
    sub_names = {
        s["name"] for f in fields if f.get("name") == family for s in f["fields"]
    }
    for spec in fields:
        if spec.get("type") not in FieldType.values:
            problems.append(f"field {spec.get('name')}: unknown type")
        if spec.get("type") == FieldType.CHOICE and not spec.get("choices"):
            problems.append(f"field {spec.get('name')}: choice without choices")
    codes = [m.get("code") for m in definition.get("materials") or []]
    if len(set(codes)) != len(codes):
        problems.append("duplicate material codes")
    for material in definition.get("materials") or []:
        if material.get("kind") not in MaterialKind.values:
            problems.append(f"material {material.get('code')}: unknown kind")
        for name in rule_fields(material.get("required")):
            ok = name in names
            if material.get("per_family_member"):
                ok = ok or name.split(".")[-1] in sub_names
            if not ok:
                problems.append(
                    f"material {material.get('code')}: rule refers to unknown "
                    f"field {name}"
                )
    return problems


def catalog_read(directory: Path | None = None) -> list[dict]:
    """Every category of the data files with its items' full definitions:
    ``[{"category": {...}, "items": [(code, definition), ...]}, ...]``."""
    directory = directory or data_dir()
    common = _read(directory / "_common.toml")
    regulations = Regulations.load(directory / "regulations")
    result = []
    for path in sorted(directory.glob("*.toml")):
        if path.name.startswith("_"):
            continue
        data = _read(path)
        defaults = _merge(common.get("defaults", {}), data.get("defaults", {}))
        # A category file may add its own field groups and materials.
        shared = {
            "fields": {**common.get("fields", {}), **data.get("fields", {})},
            "materials": {**common.get("materials", {}), **data.get("materials", {})},
        }
        items = []
        for order, raw in enumerate(data.get("items", []), start=1):
            definition = item_definition(
                raw, defaults=defaults, common=shared, regulations=regulations
            )
            problems = definition_check(definition)
            if problems:
                raise CatalogDataError(f"{raw.get('code')}: " + "; ".join(problems))
            items.append((raw["code"], order, definition))
        result.append({"category": data["category"], "items": items})
    return result


def version_kwargs(definition: dict) -> dict:
    columns = {key: definition[key] for key in COLUMN_KEYS if key in definition}
    rest = {k: v for k, v in definition.items() if k not in COLUMN_KEYS}
    return {
        "name": columns.get("name", ""),
        "name_en": columns.get("name_en", ""),
        "online": bool(columns.get("online", True)),
        "route": columns["route"],
        "outside_authority": columns.get("outside_authority", ""),
        "time_limits": columns.get("time_limits", {}),
        "fee_yuan": str(columns.get("fee_yuan", "0")),
        "fee_note": columns.get("fee_note", ""),
        "definition": rest,
    }


def search_text(*, code: str, category_name: str, definition: dict) -> str:
    parts = [
        code,
        definition.get("name", ""),
        definition.get("name_en", ""),
        category_name,
        *(definition.get("keywords") or []),
    ]
    return " ".join(str(p) for p in parts if p).lower()


@dataclass
class LoadReport:
    categories: int = 0
    items: int = 0
    created: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    unchanged: int = 0


def catalog_sync(
    *,
    apps=None,
    publish: bool = True,
    actor=None,
    directory: Path | None = None,
    on_publish=None,
) -> LoadReport:
    """Create or update categories and items from the data files. An item whose
    expanded definition differs from its current version gets a new version when
    ``publish`` is true, or a draft otherwise; unchanged items are left alone.

    ``apps``: the migration's app registry (historical models); ``on_publish``:
    called with each new version (the command writes the audit row with it).
    """
    from huji.catalog.services import definition_digest

    if apps is None:
        from huji.catalog.models import Category, Item, ItemVersion
    else:
        Category = apps.get_model("catalog", "Category")
        Item = apps.get_model("catalog", "Item")
        ItemVersion = apps.get_model("catalog", "ItemVersion")

    report = LoadReport()
    now = timezone.now()
    catalog = catalog_read(directory)
    existing_categories = {c.code: c for c in Category.objects.all()}
    for order, entry in enumerate(catalog, start=1):
        cat = entry["category"]
        values = {
            "name": cat["name"],
            "name_en": cat.get("name_en", ""),
            "family": cat["family"],
            "order": cat.get("order", order),
            "description": cat.get("description", ""),
        }
        obj = existing_categories.get(cat["code"])
        if obj is None:
            existing_categories[cat["code"]] = Category.objects.create(
                code=cat["code"], **values
            )
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save(update_fields=list(values))
        report.categories += 1

    items = {i.code: i for i in Item.objects.select_related("current_version")}
    new_items = []
    for entry in catalog:
        category = existing_categories[entry["category"]["code"]]
        for code, order, _definition in entry["items"]:
            if code not in items:
                new_items.append(Item(code=code, category=category, order=order))
    if new_items:
        Item.objects.bulk_create(new_items)
        items = {i.code: i for i in Item.objects.select_related("current_version")}

    last_numbers: dict[int, int] = {}
    for item_id, number in ItemVersion.objects.values_list("item_id", "number"):
        last_numbers[item_id] = max(number, last_numbers.get(item_id, 0))

    versions, touched, drafted = [], [], []
    for entry in catalog:
        category = existing_categories[entry["category"]["code"]]
        for code, order, definition in entry["items"]:
            report.items += 1
            item = items[code]
            digest = definition_digest(definition)
            current = item.current_version
            moved = item.category_id != category.pk or item.order != order
            if current is not None and current.digest == digest:
                report.unchanged += 1
                if moved:
                    item.category, item.order = category, order
                    touched.append(item)
                continue
            item.category, item.order = category, order
            if not publish:
                item.draft_definition = definition
                drafted.append(item)
                report.drafts.append(code)
                continue
            number = last_numbers.get(item.pk, 0) + 1
            versions.append(
                ItemVersion(
                    item=item,
                    number=number,
                    published_at=now,
                    published_by=actor
                    if getattr(actor, "is_authenticated", False)
                    else None,
                    digest=digest,
                    **version_kwargs(definition),
                )
            )
            (report.created if current is None else report.published).append(code)
            item.search_text = search_text(
                code=code, category_name=category.name, definition=definition
            )
            item.draft_definition = None
            touched.append(item)
    if versions:
        # bulk_create sets primary keys on PostgreSQL and SQLite (RETURNING).
        ItemVersion.objects.bulk_create(versions)
        for version in versions:
            version.item.current_version = version
            if on_publish:
                on_publish(version)
    if touched:
        Item.objects.bulk_update(
            touched,
            ["category", "order", "current_version", "search_text", "draft_definition"],
        )
    if drafted:
        Item.objects.bulk_update(drafted, ["category", "order", "draft_definition"])
    return report


_questionnaire_cache: dict = {}


def questionnaire_read(directory: Path | None = None) -> list[dict]:
    """The questionnaire's intents (``_questionnaire.toml``), re-read when the file
    changes."""
    path = (directory or data_dir()) / "_questionnaire.toml"
    mtime = path.stat().st_mtime
    cached = _questionnaire_cache.get(path)
    if cached is None or cached[0] != mtime:
        cached = (mtime, _read(path).get("intents", []))
        _questionnaire_cache[path] = cached
    return cached[1]
