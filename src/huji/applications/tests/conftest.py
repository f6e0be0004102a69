import pytest

from huji.applications.tests.factories import World


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """``with on_commit(execute=True):`` runs the block's after-commit callbacks
    (notifications) when the block ends, as a real commit would."""
    return django_capture_on_commit_callbacks
