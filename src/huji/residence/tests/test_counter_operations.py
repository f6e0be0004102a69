"""Counter operations at any center: each makes its own application record with
its transition and audit; the rules refuse what the regulation does not allow."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from huji.audit.models import AuditEvent
from huji.certificates.selectors import certificate_verify
from huji.residence import services
from huji.residence.constants import PermitState
from huji.residence.models import PermitApplication
from huji.residence.tests import helpers
from huji.workflow.models import Transition

D = datetime.date.fromisoformat


@pytest.fixture
def card(world):
    with time_machine.travel("2025-01-06 09:00 +0800", tick=False):
        helpers.registration_confirmed(world)
    with time_machine.travel("2025-07-07 09:00 +0800", tick=False):
        card = helpers.permit_delivered(world)
    assert card.valid_until == D("2026-07-06")
    return card


def _state(card, day):
    card.refresh_from_db()
    return services.permit_state_of(card, D(day))[0]


@pytest.mark.django_db
def test_endorsement_too_early_is_refused(world, card):
    with (
        time_machine.travel("2026-06-05 09:00 +0800", tick=False),
        pytest.raises(services.ResidenceError, match="30日内"),
    ):
        services.permit_endorse(permit=card, actor=world.other_clerk)
    assert not PermitApplication.objects.filter(kind="endorse").exists()


@pytest.mark.django_db
def test_endorsement_in_window_at_another_center(world, card):
    with time_machine.travel("2026-06-20 09:00 +0800", tick=False):
        assert _state(card, "2026-06-20") == PermitState.ENDORSEMENT_DUE
        application = services.permit_endorse(permit=card, actor=world.other_clerk)
    card.refresh_from_db()
    assert card.valid_until == D("2027-07-06")
    card.certificate.refresh_from_db()
    assert card.certificate.valid_until == D("2027-07-06")
    assert application.kind == "endorse" and application.state == "completed"
    assert application.handling_organisation == world.other_center
    step = Transition.objects.get(process="residence_permit", record_id=application.pk)
    assert (step.action, step.actor) == ("complete", world.other_clerk)
    assert AuditEvent.objects.filter(
        action="residence_permit:complete", object_id=str(application.pk)
    ).exists()


@pytest.mark.django_db
def test_late_endorsement_within_grace_restores_functions(world, card):
    with time_machine.travel("2026-08-01 09:00 +0800", tick=False):
        assert _state(card, "2026-08-01") == PermitState.EXPIRED
        assert certificate_verify(token=card.certificate.token).verdict == "expired"
        application = services.permit_endorse(permit=card, actor=world.clerk)
        assert application.details["late"] is True
        assert _state(card, "2026-08-01") == PermitState.VALID
        assert certificate_verify(token=card.certificate.token).verdict == "valid"


@pytest.mark.django_db
def test_endorsement_beyond_grace_is_refused(world, card):
    with (
        time_machine.travel("2026-09-05 09:00 +0800", tick=False),
        pytest.raises(services.ResidenceError, match="60日"),
    ):
        services.permit_endorse(permit=card, actor=world.clerk)


@pytest.mark.django_db
def test_loss_report_invalidates_at_once_and_cancellation_restores(world, card):
    with time_machine.travel("2025-08-01 09:00 +0800", tick=False):
        services.permit_report_loss(permit=card, actor=world.clerk, reason="遗失")
        assert certificate_verify(token=card.certificate.token).verdict == "lost"
        with pytest.raises(services.ResidenceError):
            services.permit_report_loss(permit=card, actor=world.clerk)
        with pytest.raises(services.ResidenceError, match="不能签注"):
            services.permit_endorse(permit=card, actor=world.clerk)
        services.permit_cancel_loss(permit=card, actor=world.other_clerk)
        assert certificate_verify(token=card.certificate.token).verdict == "valid"
        with pytest.raises(services.ResidenceError, match="未挂失"):
            services.permit_cancel_loss(permit=card, actor=world.clerk)


@pytest.mark.django_db
def test_reissue_replaces_the_old_card_when_produced(world, card):
    with time_machine.travel("2025-08-01 09:00 +0800", tick=False):
        services.permit_report_loss(permit=card, actor=world.clerk)
        application = services.permit_reissue(permit=card, actor=world.other_clerk)
        assert application.state == "in_production"
        with pytest.raises(services.ResidenceError, match="已申请补办"):
            services.permit_cancel_loss(permit=card, actor=world.clerk)
        batch = services.batch_create(actor=world.card)
        services.batch_print(batch=batch, actor=world.card)
        services.batch_check(batch=batch, actor=world.card)
        services.batch_dispatch(batch=batch, actor=world.card)
        application.refresh_from_db()
        assert application.state == "ready_for_pickup"
        assert application.pickup_center == world.other_center
        new = application.card
        assert new.valid_until == card.valid_until
        assert new.residence_since == card.residence_since
        assert _state(card, "2025-08-01") == PermitState.REPLACED
        assert certificate_verify(token=card.certificate.token).verdict == "revoked"
        assert certificate_verify(token=new.certificate.token).verdict == "valid"
        services.permit_collect(application=application, actor=world.other_clerk)


@pytest.mark.django_db
def test_information_change_records_timeliness(world, card):
    with time_machine.travel("2025-09-15 09:00 +0800", tick=False):
        late = services.permit_change(
            permit=card,
            actor=world.clerk,
            changed_on=D("2025-08-01"),
            employer="新单位",
        )
        timely = services.permit_change(
            permit=card,
            actor=world.clerk,
            changed_on=D("2025-09-01"),
            address="上海市徐汇区天平路1号",
        )
    assert late.details["timely"] is False and timely.details["timely"] is True
    card.refresh_from_db()
    assert (card.employer, card.address) == ("新单位", "上海市徐汇区天平路1号")


@pytest.mark.django_db
def test_counter_needs_a_center_clerk(world, card):
    for actor in (world.officer, world.card, world.courier, world.resident):
        with pytest.raises(PermissionDenied):
            services.permit_report_loss(permit=card, actor=actor)


@pytest.mark.django_db
def test_counter_identity_check(world):
    person = services.counter_person(
        id_number=world.person.id_number, name=world.person.name, actor=world.clerk
    )
    assert person == world.person
    with pytest.raises(services.ResidenceError) as wrong_name:
        services.counter_person(
            id_number=world.person.id_number, name="李四", actor=world.clerk
        )
    assert wrong_name.value.field == "name"
    with pytest.raises(services.ResidenceError) as bad:
        services.counter_person(id_number="123", name="李四", actor=world.clerk)
    assert bad.value.field == "id_number"


@pytest.mark.django_db
def test_counter_registration_and_new_application(world):
    with time_machine.travel("2025-01-06 09:00 +0800", tick=False):
        registration = helpers.registration_confirmed(world, actor=world.other_clerk)
        assert registration.channel == "counter"
        # Registered at the residence's center even when filed at another.
        assert registration.handling_organisation == world.center
    with time_machine.travel("2025-07-07 09:00 +0800", tick=False):
        application = services.permit_apply(
            person=world.person,
            actor=world.other_clerk,
            basis="housing",
            handover="collect",
        )
    assert application.state == "accepted" and application.channel == "counter"
