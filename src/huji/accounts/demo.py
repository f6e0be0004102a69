"""Demo accounts for ``huji demo``: residents signed in by SMS code, staff with a
password and a TOTP device whose secret is fixed, so the demo can print codes."""

import base64
import datetime

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from huji.accounts.constants import AccountKind, IdentityLevel, Sex, StaffRole
from huji.accounts.idnumbers import id_number_complete
from huji.accounts.models import Person, User
from huji.organizations.constants import OrganisationKind
from huji.organizations.models import Organisation

DEMO_PASSWORD = "Huji-Demo-2026!"  # noqa: S105 (printed for the demo on purpose)
# Fixed so the demo (and anyone adding it to an authenticator app) gets stable codes.
DEMO_TOTP_KEY = b"Huji-Demo-TOTP-Key!!".hex()
DEMO_TOTP_SECRET = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()

RESIDENTS = [
    # mobile, name, first 17 digits of the ID number (None: not yet real-named)
    ("13800000001", "张三", "31010419850312003"),
    ("13800000002", None, None),
    ("13800000003", "李娜", "34010219920708004"),
]

ORGANISATIONS = {
    "SHPSB": ("上海市公安局", OrganisationKind.CITY_BUREAU),
    "SHPSB-POP": ("上海市公安局人口管理办公室", OrganisationKind.POPULATION_OFFICE),
    "SHPSB-CARD": ("上海市公安局制证中心", OrganisationKind.CARD_PRODUCTION),
    "POST-SH": ("中国邮政上海市分公司", OrganisationKind.POSTAL),
    "310104-FJ": ("上海市公安局徐汇分局", OrganisationKind.DISTRICT_BRANCH),
    "310104014-PCS": ("徐家汇派出所", OrganisationKind.POLICE_STATION),
    "310104003-PCS": ("天平路派出所", OrganisationKind.POLICE_STATION),
    "310104014-CTR": (
        "徐家汇街道社区事务受理服务中心",
        OrganisationKind.SERVICE_CENTER,
    ),
}

STAFF = [
    # username, full name, organisation code, role
    ("officer.xjh", "王警官", "310104014-PCS", StaffRole.STATION_OFFICER),
    ("head.xjh", "陈所长", "310104014-PCS", StaffRole.STATION_HEAD),
    ("officer.tpl", "刘警官", "310104003-PCS", StaffRole.STATION_OFFICER),
    ("approver.xh", "赵科长", "310104-FJ", StaffRole.DISTRICT_APPROVER),
    ("approver.city", "孙处长", "SHPSB-POP", StaffRole.CITY_APPROVER),
    ("clerk.xjh", "周办事员", "310104014-CTR", StaffRole.CENTER_CLERK),
    ("card.sh", "吴制证员", "SHPSB-CARD", StaffRole.CARD_PRODUCTION),
    ("courier.sh", "郑投递员", "POST-SH", StaffRole.POSTAL_COURIER),
    ("auditor.sh", "钱审计", "SHPSB", StaffRole.AUDITOR),
    ("admin.sh", "系统管理员", "SHPSB", StaffRole.SYSTEM_ADMIN),
]


def _organisation(code: str) -> Organisation:
    name, kind = ORGANISATIONS[code]
    organisation, _created = Organisation.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind}
    )
    return organisation


def _resident(mobile: str, name: str | None, first17: str | None) -> User:
    user, _created = User.objects.get_or_create(
        mobile=mobile,
        defaults={"kind": AccountKind.RESIDENT, "username": mobile},
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if name and user.person_id is None:
        number = id_number_complete(first17)
        person, _created = Person.objects.get_or_create(
            id_number=number,
            defaults={
                "name": name,
                "sex": Sex.MALE if int(number[16]) % 2 else Sex.FEMALE,
                "birth_date": datetime.date(
                    int(number[6:10]), int(number[10:12]), int(number[12:14])
                ),
                "phone": mobile,
            },
        )
        user.person = person
        user.identity_level = IdentityLevel.ID_NUMBER
        user.identity_verified_at = person.created_at
        user.save(update_fields=["person", "identity_level", "identity_verified_at"])
    return user


def _staff(username: str, full_name: str, code: str, role: str) -> User:
    is_admin = role == StaffRole.SYSTEM_ADMIN
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "kind": AccountKind.STAFF,
            "first_name": full_name,
            "organisation": _organisation(code),
            "role": role,
            "is_staff": is_admin,
            "is_superuser": is_admin,
        },
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    TOTPDevice.objects.update_or_create(
        user=user,
        name="demo",
        defaults={"key": DEMO_TOTP_KEY, "confirmed": True},
    )
    return user


@transaction.atomic
def seed() -> list[str]:
    residents = [_resident(*row) for row in RESIDENTS]
    for row in STAFF:
        _staff(*row)
    lines = [
        "Residents — /me/sign-in/: enter the number, then read the code with "
        "`.venv/bin/huji sms outbox`",
    ]
    for user in residents:
        state = f"{user.person.name}, real-named" if user.person else "not real-named"
        lines.append(f"  {user.mobile}  ({state})")
    lines.append(
        f"Staff — /staff/sign-in/: password {DEMO_PASSWORD}, then the code from "
        "`.venv/bin/huji staff_totp <username>` "
        f"(or add TOTP secret {DEMO_TOTP_SECRET} to an authenticator app)"
    )
    for username, full_name, code, role in STAFF:
        lines.append(
            f"  {username:<14} {StaffRole(role).label} · {code} · {full_name} — "
            f"code: `.venv/bin/huji staff_totp {username}`"
        )
    lines.append("  Django admin (/admin/): admin.sh, after the staff sign-in")
    return lines
