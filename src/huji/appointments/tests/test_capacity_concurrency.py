"""Capacity holds when residents race for the last places (PostgreSQL: real
concurrent transactions; SQLite serialises writers, so it is skipped there)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from huji.accounts.tests.factories import ResidentFactory
from huji.applications.tests import factories as app_factories
from huji.appointments import services
from huji.appointments.models import Booking, WindowSlot
from huji.appointments.tests.factories import make_slot

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent transactions"
)


@pytest.mark.django_db(transaction=True)
def test_racing_bookings_never_exceed_capacity(world):
    slot = make_slot(world.station, day=datetime.date(2026, 12, 1), capacity=2)
    applications = [
        app_factories.pre_approved(world, resident=ResidentFactory()) for _ in range(6)
    ]
    barrier = threading.Barrier(len(applications))
    outcomes = []

    def attempt(application):
        try:
            barrier.wait()
            services.booking_create(
                application=application, slot=slot, actor=application.applicant
            )
            outcomes.append("booked")
        except services.BookingRefused:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked"] * 2 + ["full"] * 4
    assert WindowSlot.objects.get(pk=slot.pk).booked == 2
    assert Booking.objects.filter(slot=slot, state="booked").count() == 2
