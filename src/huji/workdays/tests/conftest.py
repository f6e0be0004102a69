import datetime

import pytest

from huji.workdays import services
from huji.workdays.signals import schedule_changed


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test sees its own database state (rolled back between tests)."""
    services.calendar_cache_clear()
    yield
    services.calendar_cache_clear()


@pytest.fixture
def schedule_signals():
    """The ``years`` of every ``schedule_changed`` sent during the test."""
    received: list[set[int]] = []

    def receiver(sender, *, years, **kwargs):
        received.append(years)

    schedule_changed.connect(receiver, dispatch_uid="test-receiver")
    yield received
    schedule_changed.disconnect(dispatch_uid="test-receiver")


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


# A 2027 schedule entered by an operator in the tests. Made up for the tests (it is
# not the State Council's notice): Spring Festival 02-05..02-13 off, Saturday 02-20
# a make-up working day.
SCHEDULE_2027 = [
    *(
        services.SpecialDayInput(d(f"2027-02-{day:02d}"), "holiday", "春节")
        for day in range(5, 14)
    ),
    services.SpecialDayInput(d("2027-02-20"), "makeup_workday", "春节"),
]
