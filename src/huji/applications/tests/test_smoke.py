from huji.applications.constants import State
from huji.applications.tests import factories


def test_happy_path(world):
    app = factories.completed(world)
    assert app.state == State.COMPLETED
    assert app.number.startswith("HJ")
    assert app.handling_organisation == world.station
