import pytest
import time_machine

from huji.certificates.selectors import certificate_verify
from huji.residence import services
from huji.residence.constants import DeliveryState, PermitApplicationState
from huji.residence.tests import helpers


@pytest.mark.django_db
def test_full_journey_registration_to_lost(world, django_capture_on_commit_callbacks):
    with time_machine.travel("2025-03-03 10:00 +0800", tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            registration = helpers.registration_confirmed(world)
        assert registration.certificate is not None
        assert (
            certificate_verify(token=registration.certificate.token).verdict == "valid"
        )
    with time_machine.travel("2025-09-15 10:00 +0800", tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            card = helpers.permit_delivered(world)
        assert card.card_number.startswith("312025")
        verdict = certificate_verify(token=card.certificate.token)
        assert verdict.verdict == "valid"
        assert verdict.masked_name == "张*三"
        services.permit_report_loss(permit=card, actor=world.other_clerk)
        card.certificate.refresh_from_db()
        assert certificate_verify(token=card.certificate.token).verdict == "lost"
        application = card.application
        application.refresh_from_db()
        assert application.state == PermitApplicationState.DELIVERED
        assert application.deliveries.get().state == DeliveryState.DELIVERED
