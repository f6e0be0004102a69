"""Jurisdiction: which organisations' records a staff account may see.

One policy answers both questions the apps ask: "may this user act on a record
handled by organisation X?" (``can_access_organisation``) and "which records may
this user see?" (``scope_queryset``). Residents have no organisational scope; their
own records are filtered by the apps themselves.
"""

from django.db.models import Q, QuerySet

from huji.accounts.constants import StaffRole
from huji.organizations.constants import OrganisationKind
from huji.organizations.models import Organisation

CITY_WIDE_ROLES = {StaffRole.CITY_APPROVER, StaffRole.AUDITOR, StaffRole.SYSTEM_ADMIN}
STATION_ROLES = {StaffRole.STATION_OFFICER, StaffRole.STATION_HEAD}


class Scope:
    """What one staff account covers: the whole city, or a set of organisations."""

    def __init__(self, *, city_wide: bool = False, organisation_ids=()):
        self.city_wide = city_wide
        self.organisation_ids = frozenset(organisation_ids)

    def covers(self, organisation_id: int | None) -> bool:
        if self.city_wide:
            return True
        return organisation_id is not None and organisation_id in self.organisation_ids

    def __repr__(self) -> str:
        if self.city_wide:
            return "<Scope city-wide>"
        return f"<Scope {sorted(self.organisation_ids)}>"


NOTHING = Scope()


def staff_scope(user, *, domain: str = "household") -> Scope:
    """The organisations whose records ``user`` may see.

    ``domain`` is ``household`` (户籍 applications, handled by police stations) or
    ``residence`` (居住登记/居住证, handled by community centers: any center may serve
    any applicant, 全市通办).
    """
    if user is None or not user.is_authenticated or not user.is_staff_member:
        return NOTHING
    if not user.organisation_id:
        return NOTHING
    role = user.role
    if role in CITY_WIDE_ROLES:
        return Scope(city_wide=True)
    if domain == "residence" and role == StaffRole.CENTER_CLERK:
        return Scope(city_wide=True)
    if role in STATION_ROLES:
        return Scope(organisation_ids={user.organisation_id})
    if role == StaffRole.DISTRICT_APPROVER:
        ids = set(
            Organisation.objects.filter(
                Q(parent_id=user.organisation_id) | Q(pk=user.organisation_id)
            ).values_list("pk", flat=True)
        )
        return Scope(organisation_ids=ids)
    if role in {StaffRole.CARD_PRODUCTION, StaffRole.POSTAL_COURIER}:
        # These roles see only the records routed to their own organisation.
        return Scope(organisation_ids={user.organisation_id})
    return NOTHING


def can_access_organisation(user, organisation_id, *, domain: str = "household"):
    return staff_scope(user, domain=domain).covers(organisation_id)


def scope_queryset(
    user,
    queryset: QuerySet,
    *,
    organisation_field: str = "handling_organisation",
    domain: str = "household",
) -> QuerySet:
    """Filter ``queryset`` to the records ``user`` may see, by the organisation
    that handles each record."""
    scope = staff_scope(user, domain=domain)
    if scope.city_wide:
        return queryset
    if not scope.organisation_ids:
        return queryset.none()
    return queryset.filter(**{f"{organisation_field}__in": scope.organisation_ids})


def is_station(organisation: Organisation) -> bool:
    return organisation.kind == OrganisationKind.POLICE_STATION
