"""Test set-up for residence: a street with its center and station, the card
production centre, the postal service, and staff in each role."""

import datetime

from huji.accounts.constants import IdentityLevel, StaffRole
from huji.accounts.tests.factories import PersonFactory, ResidentFactory, StaffFactory
from huji.organizations.constants import OrganisationKind
from huji.organizations.tests.factories import OrganisationFactory, make_street
from huji.residence.constants import CARD_PRODUCTION_CODE, POSTAL_CODE


class World:
    """Everything a residence journey needs, created once per test."""

    def __init__(self):
        self.street = make_street()
        self.other_street = make_street(code="310104013", name="天平路街道")
        self.center = self.street.service_center
        self.other_center = self.other_street.service_center
        self.card_org = OrganisationFactory(
            code=CARD_PRODUCTION_CODE,
            name="上海市公安局制证中心",
            kind=OrganisationKind.CARD_PRODUCTION,
        )
        self.post_org = OrganisationFactory(
            code=POSTAL_CODE,
            name="中国邮政上海市分公司",
            kind=OrganisationKind.POSTAL,
        )
        self.other_post_org = OrganisationFactory(
            code="POST-OTHER", name="其他投递", kind=OrganisationKind.POSTAL
        )
        self.clerk = StaffFactory(
            username="clerk",
            organisation=self.center,
            role=StaffRole.CENTER_CLERK,
            last_name="王",
            first_name="受理",
        )
        self.other_clerk = StaffFactory(
            username="clerk2",
            organisation=self.other_center,
            role=StaffRole.CENTER_CLERK,
        )
        self.card = StaffFactory(
            username="card",
            organisation=self.card_org,
            role=StaffRole.CARD_PRODUCTION,
        )
        self.courier = StaffFactory(
            username="courier",
            organisation=self.post_org,
            role=StaffRole.POSTAL_COURIER,
            last_name="李",
            first_name="投递",
        )
        self.other_courier = StaffFactory(
            username="courier2",
            organisation=self.other_post_org,
            role=StaffRole.POSTAL_COURIER,
        )
        self.officer = StaffFactory(
            username="officer",
            organisation=self.street.police_station,
            role=StaffRole.STATION_OFFICER,
        )
        self.resident = resident("张小三")
        self.person = self.resident.person


def resident(name="张小三", **person):
    return ResidentFactory(
        person=PersonFactory(name=name, phone="13900000001", **person),
        identity_level=IdentityLevel.ID_NUMBER,
    )


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
