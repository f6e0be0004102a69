"""The 2 / 6 / 7 working-day promises across China's National Day holiday 2025
(10-01..10-08 off; Saturday 10-11 a make-up working day)."""

import datetime

import pytest
import time_machine

from huji.residence import services
from huji.residence.tests import helpers
from huji.workflow.models import StageClock

D = datetime.date.fromisoformat


@pytest.mark.django_db
def test_registration_confirm_due_in_two_working_days_across_holiday(world):
    with time_machine.travel("2025-09-30 09:00 +0800", tick=False):
        registration = services.registration_submit(
            person=world.person,
            actor=world.resident,
            street_code=world.street.code,
            address_detail="1号",
            reason="work",
            employer="单位",
            housing_type="own",
            phone="13900000001",
        )
    # 10-01..10-08 off; 10-09 (Thu) is day 1, 10-10 (Fri) day 2.
    assert registration.due_on == D("2025-10-10")
    clock = StageClock.objects.get(process="residence_registration")
    assert clock.due_on == D("2025-10-10") and clock.limit_days == 2
    with time_machine.travel("2025-10-13 09:00 +0800", tick=False):
        services.registration_confirm(registration=registration, actor=world.clerk)
    clock.refresh_from_db()
    assert clock.on_time is False  # confirmed a working day late


@pytest.mark.django_db
def test_review_six_and_production_seven_working_days_across_holiday(world):
    with time_machine.travel("2025-03-03 09:00 +0800", tick=False):
        helpers.registration_confirmed(world)
    with time_machine.travel("2025-09-30 09:00 +0800", tick=False):
        application = helpers.permit_applied(world)
        services.permit_accept(application=application, actor=world.clerk)
        # 10-09, 10-10, 10-11 (make-up Saturday), 10-13, 10-14, 10-15.
        assert application.review_due_on == D("2025-10-15")
        assert application.result_visible_on == D("2025-10-15")
        services.permit_approve(application=application, actor=world.clerk)
        # Seven working days: ... 10-15, 10-16.
        assert application.production_due_on == D("2025-10-16")
    clocks = StageClock.objects.filter(
        process="residence_permit", record_id=application.pk
    ).order_by("id")
    assert [(c.stage, c.limit_days, c.due_on) for c in clocks] == [
        ("review", 6, D("2025-10-15")),
        ("production", 7, D("2025-10-16")),
    ]
    assert clocks[0].finished_at is not None and clocks[0].on_time is True


@pytest.mark.django_db
def test_return_for_correction_pauses_the_review_clock(world):
    with time_machine.travel("2025-03-03 09:00 +0800", tick=False):
        helpers.registration_confirmed(world)
    with time_machine.travel("2025-09-01 09:00 +0800", tick=False):  # Monday
        application = helpers.permit_applied(world)
        services.permit_accept(application=application, actor=world.clerk)
        assert application.review_due_on == D("2025-09-09")
        services.permit_return(
            application=application, actor=world.clerk, reason="社保证明不清晰"
        )
    with time_machine.travel("2025-09-03 09:00 +0800", tick=False):  # 2 days later
        services.permit_resubmit(application=application, actor=world.resident)
    application.refresh_from_db()
    assert application.state == "accepted"
    assert application.review_due_on == D("2025-09-11")


@pytest.mark.django_db
def test_overdue_registrations_are_flagged_in_the_clerk_queue(world, client):
    from huji.accounts.tests.helpers import sign_in_staff

    with time_machine.travel("2025-09-30 09:00 +0800", tick=False):
        services.registration_submit(
            person=world.person,
            actor=world.resident,
            street_code=world.street.code,
            address_detail="1号",
            reason="other",
            housing_type="own",
            phone="13900000001",
        )
    with time_machine.travel("2025-10-13 09:00 +0800", tick=False):
        sign_in_staff(client, world.clerk)
        page = client.get("/staff/residence/").content.decode()
    assert "已超期" in page and "1 超期" in page
