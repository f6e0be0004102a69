"""Who may do what beyond the workflow table (which covers the state changes)."""

from huji.accounts.constants import StaffRole

STATISTICS_ROLES = frozenset(
    {
        StaffRole.STATION_HEAD,
        StaffRole.DISTRICT_APPROVER,
        StaffRole.CITY_APPROVER,
        StaffRole.AUDITOR,
        StaffRole.SYSTEM_ADMIN,
    }
)


def may_see_statistics(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_staff_member", False)
        and user.role in STATISTICS_ROLES
    )
