"""The per-process cache: cleared by this process's writes at once, and noticed
from other processes' writes by the stamp check."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huji.workdays import calendar, services
from huji.workdays.models import AnnouncedYear
from huji.workdays.tests.conftest import d

pytestmark = pytest.mark.django_db


def test_repeated_calls_do_not_query(settings):
    settings.HUJI_WORKDAYS_RECHECK_SECONDS = 3600
    services.add_working_days(d("2025-09-30"), 200)  # loads 2025 and 2026
    with CaptureQueriesContext(connection) as queries:
        for n in range(200):
            services.add_working_days(d("2025-09-30"), n)
            services.is_working_day(d("2025-10-11"))
    assert len(queries) == 0


def test_another_process_write_is_noticed_after_the_recheck_interval(
    settings, monkeypatch
):
    settings.HUJI_WORKDAYS_RECHECK_SECONDS = 60
    assert services.add_working_days(d("2027-02-04"), 1).provisional is True
    # Another process announces 2027 (no services call here, so no local clear).
    AnnouncedYear.objects.create(year=2027, source="另一进程")
    assert services.add_working_days(d("2027-02-04"), 1).provisional is True
    later = calendar.monotonic() + 61
    monkeypatch.setattr(calendar, "monotonic", lambda: later)
    result = services.add_working_days(d("2027-02-04"), 1)
    assert result == services.WorkdayResult(d("2027-02-05"), provisional=False)
