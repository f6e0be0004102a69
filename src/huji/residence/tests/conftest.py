import pytest

from huji.certificates import signing
from huji.residence.tests.factories import World
from huji.workdays import services as workdays


@pytest.fixture(autouse=True)
def _fresh_calendar_and_key(tmp_path, settings):
    workdays.calendar_cache_clear()
    settings.DATA_DIR = tmp_path
    signing.private_key.cache_clear()
    yield
    signing.private_key.cache_clear()
    workdays.calendar_cache_clear()


@pytest.fixture
def world(db):
    return World()
