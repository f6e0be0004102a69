from huji.appointments import demo
from huji.appointments.models import WindowSlotTemplate
from huji.organizations.tests.factories import make_street


def test_demo_sets_hours_once(db):
    station = make_street().police_station
    lines = demo.seed()
    assert WindowSlotTemplate.objects.filter(station=station).count() == 10
    assert "派出所" in lines[0]
    demo.seed()
    assert WindowSlotTemplate.objects.filter(station=station).count() == 10
