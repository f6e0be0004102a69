import pytest

from huji.applications.tests.factories import World


@pytest.fixture
def world(db):
    return World()
