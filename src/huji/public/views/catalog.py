"""The public service guide (办事指南): browse by category, search, one page per
item, and a guided questionnaire that ends in the material checklist. No sign-in;
everything works without JavaScript (plain GET forms)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huji.catalog import selectors
from huji.catalog.constants import Family, Route
from huji.catalog.loader import questionnaire_read
from huji.catalog.models import Category, ItemVersion

PAGE_SIZE = 20
MAX_MEMBERS = 6

# Category groups on the guide's first page (codes from data/catalog/).
GROUPS = [
    (gettext_lazy("市内户口业务"), [f"HJ0{n}" for n in range(1, 9)]),
    (gettext_lazy("外省市迁沪落户"), ["HJ09", "HJ10", "HJ11", "HJ12", "HJ13"]),
]


def apply_url(code: str) -> str:
    """The resident portal's start page for an item (another app's URL)."""
    try:
        return reverse("portal:application_start", args=[code])
    except NoReverseMatch:
        return f"/me/apply/{code}/"


def _version_or_404(code: str, number: int | None = None) -> ItemVersion:
    try:
        return selectors.item_version_get(code=code, number=number)
    except ItemVersion.DoesNotExist as exc:
        raise Http404(_("没有这个事项。")) from exc


def guide(request):
    categories = {c.code: c for c in selectors.categories_list()}
    groups = [
        (title, [categories[code] for code in codes if code in categories])
        for title, codes in GROUPS
    ]
    residence = [c for c in categories.values() if c.family == Family.RESIDENCE]
    household = [c for c in categories.values() if c.family == Family.HOUSEHOLD]
    grouped = {c.code for _t, cats in groups for c in cats}
    others = [c for c in household if c.code not in grouped]
    if others:
        groups.append((_("其他户籍业务"), others))
    groups.append((_("居住登记与居住证"), residence))
    return render(
        request,
        "public/catalog/guide.html",
        {
            "groups": groups,
            "household_items": sum(c.items_count for c in household),
            "household_categories": len(household),
        },
    )


def guide_category(request, code: str):
    try:
        category = selectors.category_get(code=code)
    except Category.DoesNotExist as exc:
        raise Http404(_("没有这个类别。")) from exc
    items = selectors.items_list(category=category)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request, "public/catalog/category.html", {"category": category, "page": page}
    )


def guide_search(request):
    q = request.GET.get("q", "").strip()[:50]
    online = request.GET.get("online") == "1"
    page = None
    if q or online:
        items = selectors.items_list(q=q or None, online=True if online else None)
        page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "public/catalog/search.html",
        {"q": q, "online": online, "page": page},
    )


def guide_item(request, code: str):
    number = request.GET.get("version")
    version = _version_or_404(code, int(number) if (number or "").isdigit() else None)
    guide_data = selectors.item_guide(version=version)
    return render(
        request,
        "public/catalog/item.html",
        {
            "item": version.item,
            "v": version,
            "g": guide_data,
            "route_label": Route(version.route).label,
            "police_route_label": (
                Route(guide_data["police_route"]).label
                if guide_data["police_route"] in Route.values
                else ""
            ),
            "apply_url": apply_url(version.item.code),
            "is_current": version.item.current_version_id == version.pk,
        },
    )


# ---------------------------------------------------------------- questionnaire


def _answers_from(request, questions: list[dict]) -> tuple[dict, bool]:
    """Answers from the GET parameters; the flag says whether every question has
    an answer (family members are counted, not named, in the questionnaire)."""
    answers: dict = {}
    for spec in questions:
        name = spec["name"]
        if spec["type"] == "family_members":
            spouses = _count(request.GET.get("spouses"), 1)
            children = _count(request.GET.get("children"), MAX_MEMBERS - 1)
            answers[name] = [{"name": _("配偶"), "relation": "spouse"}][:spouses] + [
                {"name": _("子女%(n)s") % {"n": i + 1}, "relation": "child"}
                for i in range(children)
            ]
            continue
        raw = request.GET.get(name)
        if raw is None or raw == "":
            continue
        answers[name] = (
            {"true": True, "false": False}.get(raw, raw)
            if spec["type"] == "boolean"
            else raw
        )
    complete = all(
        spec["name"] in answers
        for spec in questions
        if selectors.question_applies(spec, answers)
    )
    return answers, complete


def _member_relations(questions: list[dict]) -> set[str]:
    """Which relations the family-members field accepts (spouse, child)."""
    for spec in questions:
        for sub in spec.get("fields") or []:
            if sub["name"] == "relation":
                return {str(value) for value, _label in sub.get("choices") or []}
    return set()


def _count(raw, high: int) -> int:
    return min(int(raw), high) if (raw or "").isdigit() else 0


def guide_questionnaire(request):
    intents = questionnaire_read()
    intent = next((i for i in intents if i["key"] == request.GET.get("intent")), None)
    context: dict = {"intents": intents, "intent": intent, "step": 1, "steps": 4}
    code = request.GET.get("item", "")
    if intent is not None and not code:
        context["step"] = 2
        return render(request, "public/catalog/questionnaire.html", context)
    if code:
        if intent is not None and code not in {o["item"] for o in intent["options"]}:
            raise Http404(_("没有这个事项。"))
        version = _version_or_404(code)
        questions = selectors.questions_for(version=version)
        answers, complete = _answers_from(request, questions)
        relations = _member_relations(questions)
        context.update(
            version=version,
            ask_spouse="spouse" in relations,
            ask_children="child" in relations,
            questions=_question_rows(questions, request.GET),
            answers=answers,
            spouses=_count(request.GET.get("spouses"), 1),
            children=_count(request.GET.get("children"), MAX_MEMBERS - 1),
        )
        if questions and (not complete or request.GET.get("step") == "3"):
            context["step"] = 3
        else:
            context.update(
                step=4,
                checklist=_checklist(version, answers),
                guide=selectors.item_guide(version=version),
                apply_url=apply_url(code),
                answer_rows=_answer_rows(questions, answers),
            )
    return render(request, "public/catalog/questionnaire.html", context)


def _question_rows(questions: list[dict], params) -> list[dict]:
    """Each question with its options, which one is already chosen, and when it
    needs an answer."""
    fields = {f["name"]: f for f in questions}
    rows = []
    for spec in questions:
        if spec["type"] == "boolean":
            choices = [("true", _("是")), ("false", _("否"))]
        else:
            choices = [(str(v), label) for v, label in spec.get("choices") or []]
        chosen = params.get(spec["name"], "")
        when = "，且".join(
            selectors.rule_text(rule, fields) for rule in spec["depends_on"]
        )
        rows.append(
            {
                **spec,
                "when": when,
                "options": [(v, label, v == chosen) for v, label in choices],
            }
        )
    return rows


def _checklist(version: ItemVersion, answers: dict) -> list[dict]:
    fields = selectors.form_fields_by_name(version=version)
    rows = []
    for material in selectors.required_materials(version=version, answers=answers):
        rule = material.get("rule")
        rows.append(
            {
                **material,
                "why": selectors.rule_text(rule, fields)
                if isinstance(rule, dict)
                else "",
            }
        )
    return rows


def _answer_rows(questions: list[dict], answers: dict) -> list[tuple[str, str]]:
    rows = []
    for spec in questions:
        if spec["name"] not in answers:
            continue
        value = answers.get(spec["name"])
        if spec["type"] == "family_members":
            rows.append((spec["label"], _("%(n)s人") % {"n": len(value or [])}))
        elif spec["type"] == "boolean":
            rows.append((spec["label"], _("是") if value is True else _("否")))
        else:
            labels = dict((str(k), v) for k, v in spec.get("choices") or [])
            rows.append((spec["label"], labels.get(str(value), str(value))))
    return rows


urlpatterns = [
    path("guide/", guide, name="guide"),
    path("guide/search/", guide_search, name="guide_search"),
    path("guide/start/", guide_questionnaire, name="guide_questionnaire"),
    path("guide/categories/<str:code>/", guide_category, name="guide_category"),
    path("guide/items/<str:code>/", guide_item, name="guide_item"),
]
