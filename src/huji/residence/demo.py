"""Demo data for ``huji demo``: a resident holding a permit whose endorsement is
due soon, with a confirmed residence registration and its certificate."""

import datetime
import logging

from django.db import transaction

logger = logging.getLogger(__name__)
DEMO_MOBILE = "13800000003"


def seed() -> list[str]:
    try:
        return _seed()
    except Exception as exc:
        logger.exception("residence demo skipped")
        return [f"Residence demo skipped: {exc}"]


@transaction.atomic
def _seed() -> list[str]:
    from huji.accounts.models import User
    from huji.organizations.models import Division
    from huji.residence import rules
    from huji.residence.constants import (
        CARD_PRODUCTION_CODE,
        Handover,
        PermitApplicationKind,
        PermitApplicationState,
        PermitEventKind,
        RegistrationState,
    )
    from huji.residence.models import (
        Permit,
        PermitApplication,
        PermitEvent,
        ResidenceRegistration,
    )
    from huji.residence.services import _make_card

    resident = User.objects.filter(mobile=DEMO_MOBILE).select_related("person").first()
    if resident is None or resident.person is None:
        return ["Residence demo skipped: demo resident 13800000003 missing"]
    person = resident.person
    existing = Permit.objects.filter(person=person).first()
    if existing:
        return [f"Residence: {person.name} holds permit {existing.card_number}"]
    street = (
        Division.objects.filter(
            police_station__isnull=False, service_center__isnull=False
        )
        .select_related("parent", "police_station", "service_center")
        .order_by("code")
        .first()
    )
    card_org = (
        __import__("huji.organizations.models", fromlist=["Organisation"])
        .Organisation.objects.filter(code=CARD_PRODUCTION_CODE)
        .first()
    )
    if street is None or card_org is None:
        return ["Residence demo skipped: organisations not loaded"]
    today = datetime.date.today()
    issued = today - datetime.timedelta(days=365 - 20)
    registration = ResidenceRegistration.objects.create(
        number=f"DJDEMO{person.pk:06d}",
        channel="online",
        person=person,
        submitted_by=resident,
        street=street,
        address=f"上海市{street.parent.name}{street.name}示范路1号101室",
        handling_organisation=street.service_center,
        police_station=street.police_station,
        reason="work",
        employer="上海示范科技有限公司",
        housing_type="rental",
        housing_proof="租赁备案 DEMO-1",
        phone=DEMO_MOBILE,
        state=RegistrationState.CONFIRMED,
        due_on=issued,
        registered_on=issued - datetime.timedelta(days=200),
    )
    application = PermitApplication.objects.create(
        number=f"JZDEMO{person.pk:06d}",
        kind=PermitApplicationKind.NEW,
        channel="online",
        person=person,
        submitted_by=resident,
        registration=registration,
        basis="job",
        handover=Handover.COLLECT,
        pickup_center=street.service_center,
        handling_organisation=street.service_center,
        production_organisation=card_org,
        state=PermitApplicationState.COLLECTED,
    )
    permit = _make_card(application, None)
    # Back-date the card so its endorsement falls due in 20 days.
    Permit.objects.filter(pk=permit.pk).update(
        issued_on=issued, valid_until=rules.first_valid_until(issued)
    )
    PermitEvent.objects.filter(permit=permit, kind=PermitEventKind.ISSUED).update(
        on=issued, valid_until=rules.first_valid_until(issued)
    )
    permit.certificate.valid_until = rules.first_valid_until(issued)
    permit.certificate.save(update_fields=["valid_until"])
    return [
        f"Residence: {person.name} ({DEMO_MOBILE}) holds permit "
        f"{permit.card_number}, endorsement due by "
        f"{rules.first_valid_until(issued)}; verify at /verify/…/ from /me/residence/"
    ]
