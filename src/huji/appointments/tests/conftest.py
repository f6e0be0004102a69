import pytest
import time_machine

from huji.applications.tests.factories import World

# A Monday; Tuesday 2026-12-01 is a working day.
NOW = "2026-11-30 10:00:00+08:00"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, frozen):
    return World()
