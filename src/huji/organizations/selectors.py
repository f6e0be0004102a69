"""Reads of Shanghai's divisions and organisations: public reference data.

``jurisdiction_resolve`` is what the other apps call to route a record: an address
(its street or town) → the police station and the community center serving it.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from huji.organizations.constants import DivisionLevel
from huji.organizations.models import Division, Organisation


class UnknownCodeError(LookupError):
    """A code that names no division or organisation; the message names it."""

    def __init__(self, message: str, *, parameter: str, code: str):
        super().__init__(message)
        self.parameter = parameter
        self.code = code


class JurisdictionIncompleteError(LookupError):
    """A street whose station or center is missing (an administrator cleared it)."""


@dataclass(frozen=True)
class Jurisdiction:
    district: Division
    street: Division
    police_station: Organisation
    center: Organisation


def districts_list() -> QuerySet[Division]:
    return Division.objects.filter(level=DivisionLevel.DISTRICT).order_by("code")


def district_get(code: str) -> Division:
    try:
        return Division.objects.get(code=code, level=DivisionLevel.DISTRICT)
    except Division.DoesNotExist:
        raise UnknownCodeError(
            _("区划代码 %(code)s 不是上海市的区。") % {"code": code},
            parameter="district",
            code=code,
        ) from None


def streets_list(*, district_code: str) -> QuerySet[Division]:
    """The streets and towns of a district (raises for an unknown district)."""
    district = district_get(district_code)
    return (
        Division.objects.filter(level=DivisionLevel.STREET, parent=district)
        .select_related("parent", "police_station", "service_center")
        .order_by("code")
    )


def street_get(*, street_code: str, district_code: str | None = None) -> Division:
    """A street or town by code; with ``district_code``, only if it lies there."""
    queryset = Division.objects.filter(code=street_code, level=DivisionLevel.STREET)
    if district_code is not None:
        queryset = queryset.filter(parent__code=district_code)
    try:
        return queryset.select_related(
            "parent", "police_station__parent", "service_center"
        ).get()
    except Division.DoesNotExist:
        if district_code is not None:
            message = _("街道（镇）代码 %(code)s 不属于区 %(district)s。") % {
                "code": street_code,
                "district": district_code,
            }
        else:
            message = _("街道（镇）代码 %(code)s 不存在。") % {"code": street_code}
        raise UnknownCodeError(message, parameter="street", code=street_code) from None


def jurisdiction_resolve(*, street_code: str) -> Jurisdiction:
    """The district, police station and center serving a street or town."""
    street = street_get(street_code=street_code)
    if street.police_station is None or street.service_center is None:
        raise JurisdictionIncompleteError(
            _("街道（镇）%(name)s 尚未配置管辖派出所或社区事务受理服务中心。")
            % {"name": street.name}
        )
    return Jurisdiction(
        district=street.parent,
        street=street,
        police_station=street.police_station,
        center=street.service_center,
    )


def organisation_get(code: str) -> Organisation:
    try:
        return Organisation.objects.select_related("parent", "district").get(code=code)
    except Organisation.DoesNotExist:
        raise UnknownCodeError(
            _("机构代码 %(code)s 不存在。") % {"code": code},
            parameter="code",
            code=code,
        ) from None


def organisations_list(
    *, kind: str | None = None, district_code: str | None = None, query: str = ""
) -> QuerySet[Organisation]:
    queryset = Organisation.objects.select_related("parent", "district")
    if kind:
        queryset = queryset.filter(kind=kind)
    if district_code:
        queryset = queryset.filter(district__code=district_code)
    if query:
        queryset = queryset.filter(name__icontains=query) | queryset.filter(
            code__istartswith=query
        )
    return queryset.order_by("code")
