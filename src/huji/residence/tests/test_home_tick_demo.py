import datetime

import pytest
import time_machine
from django.core.management import call_command

from huji.accounts.tests.helpers import sign_in_resident
from huji.notifications.models import Message
from huji.residence import services
from huji.residence.tests import helpers


@pytest.mark.django_db
def test_home_section_and_endorsement_reminder(
    world, client, django_capture_on_commit_callbacks
):
    with time_machine.travel("2025-01-06 09:00 +0800", tick=False):
        helpers.registration_confirmed(world)
    with time_machine.travel("2025-07-07 09:00 +0800", tick=False):
        card = helpers.permit_delivered(world)
        sign_in_resident(client, world.resident)
        home = client.get("/me/").content.decode()
        assert card.card_number in home and "2026年7月6日" in home
    with (
        time_machine.travel("2026-06-01 09:00 +0800", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.permits_remind() == 0  # 35 days before: not yet
    with (
        time_machine.travel("2026-06-10 09:00 +0800", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("residence_tick")
        assert services.permits_remind() == 0  # once per validity year
    reminder = Message.objects.get(event="permit_endorsement_due")
    assert reminder.recipient == world.resident
    assert "2026年7月6日" in reminder.body
    card.refresh_from_db()
    assert card.reminded_for == datetime.date(2026, 7, 6)


@pytest.mark.django_db
def test_demo_seed_never_crashes():
    from huji.residence import demo

    lines = demo.seed()
    assert lines and isinstance(lines[0], str)
