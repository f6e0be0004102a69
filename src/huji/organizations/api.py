"""Public JSON API of the reference data: districts, streets, jurisdiction,
organisations. No sign-in: all of it is public information."""

import re

from django.db.models import Count, Q
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from huji.organizations import selectors
from huji.organizations.constants import DivisionLevel, OrganisationKind
from huji.organizations.models import Division, Organisation

router = Router(tags=["organizations"])

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
DISTRICT_CODE = re.compile(r"^\d{6}$")
STREET_CODE = re.compile(r"^\d{9}$")


class ErrorOut(Schema):
    detail: str
    parameter: str = ""


class OrganisationRef(Schema):
    code: str
    name: str


class OrganisationOut(Schema):
    code: str
    name: str
    name_en: str
    kind: str
    kind_label: str
    parent: OrganisationRef | None
    district: OrganisationRef | None
    address: str
    phone: str
    opening_hours: str
    source: str
    is_active: bool


class DistrictOut(Schema):
    code: str
    name: str
    street_count: int


class StreetOut(Schema):
    code: str
    name: str
    district_code: str
    police_station: OrganisationRef | None
    service_center: OrganisationRef | None


class DistrictPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DistrictOut]


class StreetPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[StreetOut]


class OrganisationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OrganisationOut]


class JurisdictionOut(Schema):
    district: OrganisationRef
    street: OrganisationRef
    police_station: OrganisationOut
    service_center: OrganisationOut


class BadParameter(Exception):
    def __init__(self, parameter: str, detail: str):
        self.parameter, self.detail = parameter, detail


def _error(status: int, parameter: str, detail: str):
    return Status(status, {"detail": detail, "parameter": parameter})


def _int_param(request, name: str, default: int, *, low: int, high: int | None) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or int(raw) < low or (high is not None and int(raw) > high):
        bound = f"{low}–{high}" if high is not None else f"≥ {low}"
        raise BadParameter(
            name,
            _("参数 %(name)s 应为整数（%(bound)s）。") % {"name": name, "bound": bound},
        )
    return int(raw)


def _page(request, queryset, serialise) -> dict:
    limit = _int_param(request, "limit", DEFAULT_LIMIT, low=1, high=MAX_LIMIT)
    offset = _int_param(request, "offset", 0, low=0, high=None)
    items = [serialise(obj) for obj in queryset[offset : offset + limit]]
    return {"count": queryset.count(), "limit": limit, "offset": offset, "items": items}


def _ref(obj) -> dict | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def _organisation(org: Organisation) -> dict:
    return {
        "code": org.code,
        "name": org.name,
        "name_en": org.name_en,
        "kind": org.kind,
        "kind_label": str(org.get_kind_display()),
        "parent": _ref(org.parent),
        "district": _ref(org.district),
        "address": org.address,
        "phone": org.phone,
        "opening_hours": org.opening_hours,
        "source": org.source,
        "is_active": org.is_active,
    }


def _street(street: Division) -> dict:
    return {
        "code": street.code,
        "name": street.name,
        "district_code": street.parent.code,
        "police_station": _ref(street.police_station),
        "service_center": _ref(street.service_center),
    }


@router.get(
    "/districts",
    response={200: DistrictPage, 400: ErrorOut},
    summary="Shanghai's 16 districts",
)
def districts(request):
    queryset = selectors.districts_list().annotate(
        street_count=Count("children", filter=Q(children__level=DivisionLevel.STREET))
    )
    try:
        return _page(
            request,
            queryset,
            lambda d: {"code": d.code, "name": d.name, "street_count": d.street_count},
        )
    except BadParameter as exc:
        return _error(400, exc.parameter, exc.detail)


@router.get(
    "/districts/{code}/streets",
    response={200: StreetPage, 400: ErrorOut, 404: ErrorOut},
    summary="The streets and towns of a district, with their station and center",
)
def district_streets(request, code: str):
    if not DISTRICT_CODE.match(code):
        return _error(400, "code", _("参数 code 应为 6 位区划代码，如 310104。"))
    try:
        queryset = selectors.streets_list(district_code=code)
        return _page(request, queryset, _street)
    except selectors.UnknownCodeError as exc:
        return _error(404, "code", str(exc))
    except BadParameter as exc:
        return _error(400, exc.parameter, exc.detail)


@router.get(
    "/jurisdiction",
    response={200: JurisdictionOut, 400: ErrorOut},
    summary="The police station and community center serving a street or town",
)
def jurisdiction(request, street: str = ""):
    if not street:
        return _error(400, "street", _("缺少参数 street（街道/镇的 9 位代码）。"))
    if not STREET_CODE.match(street):
        return _error(
            400, "street", _("参数 street 应为 9 位街道/镇代码，如 310104014。")
        )
    try:
        found = selectors.jurisdiction_resolve(street_code=street)
    except (selectors.UnknownCodeError, selectors.JurisdictionIncompleteError) as exc:
        return _error(400, "street", str(exc))
    station = selectors.organisation_get(found.police_station.code)
    center = selectors.organisation_get(found.center.code)
    return {
        "district": _ref(found.district),
        "street": _ref(found.street),
        "police_station": _organisation(station),
        "service_center": _organisation(center),
    }


@router.get(
    "/organisations",
    response={200: OrganisationPage, 400: ErrorOut},
    summary="Organisations, filtered by kind, district or a name/code search",
)
def organisations(request, kind: str = "", district: str = "", q: str = ""):
    if kind and kind not in OrganisationKind.values:
        return _error(
            400,
            "kind",
            _("参数 kind 应为以下之一：%(kinds)s。")
            % {"kinds": ", ".join(OrganisationKind.values)},
        )
    if district and not DISTRICT_CODE.match(district):
        return _error(400, "district", _("参数 district 应为 6 位区划代码。"))
    queryset = selectors.organisations_list(
        kind=kind or None, district_code=district or None, query=q.strip()
    )
    try:
        return _page(request, queryset, _organisation)
    except BadParameter as exc:
        return _error(400, exc.parameter, exc.detail)


@router.get(
    "/organisations/{code}",
    response={200: OrganisationOut, 404: ErrorOut},
    summary="One organisation by its code (SHPSB, 310104-FJ, 310104014-PCS, …)",
)
def organisation(request, code: str):
    try:
        return _organisation(selectors.organisation_get(code))
    except selectors.UnknownCodeError as exc:
        return _error(404, "code", str(exc))


@router.get("/street-options", include_in_schema=False, url_name="street_options")
def street_options(request, selected: str = "", source: str = "district"):
    """<option> elements for the street select of ShanghaiAddressWidget (htmx).

    htmx sends the district select under its own form name; ``source`` says which
    parameter that is. Without a known district: every street, grouped."""
    from huji.organizations.forms import street_groups

    district = request.GET.get(source, "")
    streets, groups = street_groups(district if DISTRICT_CODE.match(district) else "")
    html = render_to_string(
        "organizations/widgets/_street_options.html",
        {
            "streets": streets,
            "groups": groups,
            "has_district": bool(streets),
            "selected": selected,
        },
    )
    return HttpResponse(html)
