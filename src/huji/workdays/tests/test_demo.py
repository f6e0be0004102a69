import pytest

from huji.workdays import demo
from huji.workdays.models import AnnouncedYear

pytestmark = pytest.mark.django_db


def test_seed_says_which_years_are_announced():
    assert demo.seed() == [
        "工作日历：已公布 2004–2026 年（23 个年度） / working-day calendar: "
        "2004–2026 announced"
    ]
    AnnouncedYear.objects.all().delete()
    assert "尚无" in demo.seed()[0]
