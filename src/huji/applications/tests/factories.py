"""Test data for applications: item versions per route, uploads, and applications
brought to each lifecycle state through the real services (one helper per state).
"""

import hashlib
import itertools

from django.utils import timezone

from huji.accounts.constants import StaffRole
from huji.accounts.tests.factories import PersonFactory, ResidentFactory, StaffFactory
from huji.applications import services
from huji.applications.constants import State
from huji.catalog.constants import Family
from huji.catalog.models import Category, Item, ItemVersion
from huji.organizations.constants import OrganisationKind
from huji.organizations.tests.factories import (
    DistrictFactory,
    OrganisationFactory,
    make_street,
)

_seq = itertools.count(1)

FIELDS = [
    {"name": "reason", "label": "申请事由", "type": "text", "required": True},
    {
        "name": "destination",
        "label": "拟落户地",
        "type": "choice",
        "required": False,
        "choices": [["family", "家庭户"], ["community_public", "社区公共户"]],
    },
    {
        "name": "destination_address",
        "label": "拟落户地址",
        "type": "address",
        "required": True,
    },
    {
        "name": "family_members",
        "label": "随迁家属",
        "type": "family_members",
        "required": False,
        "fields": [
            {"name": "name", "label": "姓名", "type": "text", "required": True},
            {"name": "relation", "label": "关系", "type": "relation", "required": True},
        ],
    },
]
MATERIALS = [
    {"code": "id_card", "name": "居民身份证", "kind": "id_card", "required": True},
    {
        "code": "hukou_book",
        "name": "居民户口簿",
        "kind": "hukou_page",
        "required": True,
    },
]


def make_version(
    *, route: str = "station", time_limits: dict | None = None, code: str = ""
) -> ItemVersion:
    n = next(_seq)
    category, _ = Category.objects.get_or_create(
        code="T", defaults={"name": "测试类别", "family": Family.HOUSEHOLD}
    )
    item = Item.objects.create(code=code or f"T{n:03d}", category=category)
    version = ItemVersion.objects.create(
        item=item,
        number=1,
        published_at=timezone.now(),
        name=f"测试事项{n}",
        route=route,
        time_limits=time_limits
        or {"review": 5, "district": 10, "city": 15, "visit_valid_days": 30},
        definition={
            "form": {"fields": FIELDS},
            "materials": MATERIALS,
            "policy_basis": [{"title": "《上海市户口事项办理程序规定》"}],
        },
    )
    item.current_version = version
    item.save(update_fields=["current_version"])
    return version


def make_upload(user, *, slot_key: str = "", real: bool = False):
    """A stored upload row; with ``real``, a photo through the materials service
    (stored files, thumbnail, clarity verdict)."""
    from huji.materials.models import MaterialUpload

    if real:
        from huji.applications.demo import _photo
        from huji.materials.services import upload_accept

        return upload_accept(
            file=_photo(next(_seq)),
            uploaded_by=user,
            material_kind="document",
            slot_key=slot_key,
        )

    n = next(_seq)
    return MaterialUpload.objects.create(
        uploaded_by=user,
        material_kind="document",
        slot_key=slot_key,
        content_type="image/jpeg",
        size=1000,
        sha256=hashlib.sha256(str(n).encode()).hexdigest(),
        storage_key=f"test/{n}.jpg",
        verdict={"ok": True, "problems": []},
    )


class World:
    """A street with its station, the station's staff, the district branch's
    approver, a city approver, another district's station and a resident."""

    def __init__(self):
        self.street = make_street()
        self.station = self.street.police_station
        self.branch = self.station.parent
        self.officer = StaffFactory(organisation=self.station)
        self.officer2 = StaffFactory(organisation=self.station)
        self.head = StaffFactory(organisation=self.station, role=StaffRole.STATION_HEAD)
        self.district_approver = StaffFactory(
            organisation=self.branch, role=StaffRole.DISTRICT_APPROVER
        )
        city = OrganisationFactory(
            code="SHPSB-POP", name="人口管理办公室", kind=OrganisationKind.CITY_BUREAU
        )
        self.city_approver = StaffFactory(
            organisation=city, role=StaffRole.CITY_APPROVER
        )
        other_district = DistrictFactory(code="310101", name="黄浦区")
        self.other_street = make_street(
            code="310101002", name="南京东路街道", district=other_district
        )
        self.other_station = self.other_street.police_station
        self.other_officer = StaffFactory(organisation=self.other_station)
        self.other_head = StaffFactory(
            organisation=self.other_station, role=StaffRole.STATION_HEAD
        )
        self.other_district_approver = StaffFactory(
            organisation=self.other_station.parent,
            role=StaffRole.DISTRICT_APPROVER,
        )
        self.resident = ResidentFactory()
        self.other_resident = ResidentFactory()


def answers(street, *, family: int = 0, collective: bool = False) -> dict:
    data = {
        "reason": "工作调动",
        "destination_address": {
            "district": street.parent.code,
            "street": street.code,
            "detail": "虹桥路1号101室",
        },
        "destination": "community_public" if collective else "family",
    }
    if family:
        data["family_members"] = [
            {"name": f"家属{i}", "relation": "child"} for i in range(family)
        ]
    return data


def draft(
    world: World, version=None, *, resident=None, real_uploads=False, **answer_options
):
    resident = resident or world.resident
    version = version or make_version()
    application = services.application_start(applicant=resident, version=version)
    services.application_answers_save(
        application=application,
        answers=answers(world.street, **answer_options),
        actor=resident,
    )
    for slot in application.slots.all():
        services.application_material_add(
            application=application,
            slot_key=slot.slot_key,
            upload=make_upload(resident, real=real_uploads),
            actor=resident,
        )
    return application


def submitted(world: World, version=None, **options):
    application = draft(world, version, **options)
    services.application_submit(application=application, actor=application.applicant)
    return application


def under_review(world: World, version=None, *, officer=None, **options):
    application = submitted(world, version, **options)
    services.application_claim(
        application=application, officer=officer or world.officer
    )
    return application


def accept_all(application, officer):
    for slot in application.slots.all():
        services.material_verdict_set(
            application=application,
            slot_key=slot.slot_key,
            verdict="accepted",
            officer=officer,
        )


def correction_requested(world: World, version=None, **options):
    application = under_review(world, version, **options)
    services.material_verdict_set(
        application=application,
        slot_key="id_card",
        verdict="rejected",
        reason_code="unclear",
        officer=world.officer,
    )
    services.application_return_for_correction(
        application=application, officer=world.officer, items=[]
    )
    return application


def awaiting_district(world: World, *, route="station_district", **options):
    application = under_review(world, make_version(route=route), **options)
    accept_all(application, world.officer)
    services.application_forward(application=application, officer=world.officer)
    return application


def pre_approved(world: World, version=None, **options):
    application = under_review(world, version, **options)
    accept_all(application, world.officer)
    services.application_pre_approve(application=application, officer=world.officer)
    return application


def completed(world: World, version=None, **options):
    application = pre_approved(world, version, **options)
    services.application_complete(
        application=application,
        officer=world.officer,
        originals_checked=["居民身份证"],
        issued={"hukou_page": "1"},
    )
    return application


STATE_HELPERS = {
    State.DRAFT: draft,
    State.SUBMITTED: submitted,
    State.UNDER_REVIEW: under_review,
    State.CORRECTION_REQUESTED: correction_requested,
    State.PRE_APPROVED: pre_approved,
    State.COMPLETED: completed,
}


def make_person():
    return PersonFactory()
