"""The calendar across real schedules (2025 National Day, 2026 Spring Festival),
a provisional 2027, and an operator announcing 2027."""

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given, settings
from hypothesis import strategies as st

from huji.accounts.constants import StaffRole
from huji.accounts.tests.factories import StaffFactory
from huji.audit.models import AuditEvent
from huji.workdays import services
from huji.workdays.models import AnnouncedYear, SpecialDay
from huji.workdays.tests.conftest import SCHEDULE_2027, d

pytestmark = pytest.mark.django_db


# -- 2025 National Day and Mid-autumn: 10-01..10-08 off, Sun 09-28 and Sat 10-11 work


@pytest.mark.parametrize(
    "day, working",
    [
        ("2025-09-27", False),  # Saturday
        ("2025-09-28", True),  # Sunday, make-up working day
        ("2025-09-30", True),
        *((f"2025-10-0{n}", False) for n in range(1, 9)),
        ("2025-10-09", True),
        ("2025-10-11", True),  # Saturday, make-up working day
        ("2025-10-12", False),  # Sunday
    ],
)
def test_national_day_2025(day, working):
    assert services.is_working_day(d(day)) is working


def test_add_across_national_day_2025():
    result = services.add_working_days(d("2025-09-30"), 6)
    assert result == services.WorkdayResult(date=d("2025-10-15"), provisional=False)
    # Day by day: 10-09, 10-10, 10-11 (Saturday), 10-13, 10-14, 10-15.
    steps = [services.add_working_days(d("2025-09-30"), n).date for n in range(1, 7)]
    assert steps == [
        d("2025-10-09"),
        d("2025-10-10"),
        d("2025-10-11"),
        d("2025-10-13"),
        d("2025-10-14"),
        d("2025-10-15"),
    ]


def test_start_day_is_day_zero_even_on_a_holiday():
    assert services.add_working_days(d("2025-10-03"), 0).date == d("2025-10-03")
    assert services.add_working_days(d("2025-10-03"), 1).date == d("2025-10-09")
    assert services.next_working_day(d("2025-09-27")) == d("2025-09-28")


def test_between_across_national_day_2025():
    assert services.working_days_between(d("2025-09-30"), d("2025-10-15")) == 6
    assert services.working_days_between(d("2025-10-15"), d("2025-09-30")) == -6
    assert services.working_days_between(d("2025-10-01"), d("2025-10-08")) == 0
    assert services.working_days_between(d("2025-09-26"), d("2025-09-28")) == 1


# -- 2026 Spring Festival (国务院办公厅 2026 年节假日安排通知): 02-15..02-23 off;
#    Sat 02-14 and Sat 02-28 working days


@pytest.mark.parametrize(
    "day, working",
    [
        ("2026-02-13", True),
        ("2026-02-14", True),  # Saturday, make-up working day
        *((f"2026-02-{n}", False) for n in range(15, 24)),
        ("2026-02-24", True),
        ("2026-02-28", True),  # Saturday, make-up working day
        ("2026-03-01", False),
    ],
)
def test_spring_festival_2026(day, working):
    assert services.is_working_day(d(day)) is working


def test_add_across_spring_festival_2026():
    assert services.add_working_days(d("2026-02-13"), 1).date == d("2026-02-14")
    result = services.add_working_days(d("2026-02-14"), 1)
    assert result == services.WorkdayResult(d("2026-02-24"), provisional=False)
    assert services.working_days_between(d("2026-02-13"), d("2026-02-27")) == 5
    # 02-14; 02-24..02-28 (Saturday 28 included) = 6; 03-02..03-13 = 16; 03-16..19.
    assert services.add_working_days(d("2026-02-13"), 20).date == d("2026-03-19")


def test_day_info_names_the_holiday():
    info = services.day_info(d("2026-02-17"))
    assert (info.working, info.kind, info.name) == (False, "holiday", "春节")
    info = services.day_info(d("2025-10-11"))
    assert (info.working, info.kind, info.name) == (True, "makeup_workday", "国庆节")
    assert services.day_info(d("2025-10-18")).kind == "weekend"


# -- 2027: not announced, not in chinese-calendar -> statutory rules, provisional


def test_2027_is_provisional_by_the_statutory_rules():
    # 除夕 02-05 (Fri), 春节 02-06..02-08, 补假 02-09 and 02-10 for the weekend.
    result = services.add_working_days(d("2027-02-04"), 1)
    assert result == services.WorkdayResult(d("2027-02-11"), provisional=True)
    assert services.day_info(d("2027-02-09")).provisional is True
    assert services.is_working_day(d("2027-02-09")) is False
    assert services.is_working_day(d("2027-02-20")) is False  # no make-up days


def test_only_results_reaching_into_2027_are_provisional():
    inside_2026 = services.add_working_days(d("2026-12-28"), 2)
    assert inside_2026 == services.WorkdayResult(d("2026-12-30"), provisional=False)
    into_2027 = services.add_working_days(d("2026-12-30"), 3)
    # 12-31, then 元旦 2027-01-01 (Friday) off, 01-04, 01-05.
    assert into_2027 == services.WorkdayResult(d("2027-01-05"), provisional=True)
    count = services.working_days_between_result(d("2026-12-30"), d("2027-01-05"))
    assert count == services.WorkdayCount(days=3, provisional=True)


def test_provisional_refused_on_request():
    with pytest.raises(services.ScheduleNotAnnounced):
        services.add_working_days(d("2026-12-30"), 3, allow_provisional=False)
    ok = services.add_working_days(d("2026-12-28"), 2, allow_provisional=False)
    assert ok.date == d("2026-12-30")


def test_announcing_2027_makes_it_final_and_changes_the_result(
    django_capture_on_commit_callbacks, schedule_signals
):
    operator = StaffFactory(role=StaffRole.CITY_APPROVER)
    with django_capture_on_commit_callbacks(execute=True):
        announced = services.schedule_announce(
            year=2027,
            days=SCHEDULE_2027,
            announced_on=d("2026-11-20"),
            source="测试通知",
            actor=operator,
        )
    assert announced.entered_by == operator
    assert SpecialDay.objects.filter(year=2027).count() == 10
    result = services.add_working_days(d("2027-02-04"), 1)
    assert result == services.WorkdayResult(d("2027-02-15"), provisional=False)
    assert services.is_working_day(d("2027-02-20")) is True
    assert schedule_signals == [{2027}]
    event = AuditEvent.objects.get(action="workdays:announce")
    assert event.actor == operator
    assert event.changes["year"] == 2027
    assert event.changes["before"] == []
    assert ["2027-02-20", "makeup_workday", "春节"] in event.changes["after"]


def test_reannouncing_replaces_the_days(django_capture_on_commit_callbacks):
    services.schedule_announce(year=2027, days=SCHEDULE_2027)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_announce(year=2027, days=SCHEDULE_2027[:1])
    assert list(
        SpecialDay.objects.filter(year=2027).values_list("date", flat=True)
    ) == [d("2027-02-05")]
    assert services.add_working_days(d("2027-02-04"), 1).date == d("2027-02-08")


def test_withdrawing_falls_back(django_capture_on_commit_callbacks, schedule_signals):
    services.schedule_announce(year=2027, days=SCHEDULE_2027)
    assert services.add_working_days(d("2027-02-04"), 1).provisional is False
    with django_capture_on_commit_callbacks(execute=True):
        services.announced_year_withdraw(year=2027)
    assert not AnnouncedYear.objects.filter(year=2027).exists()
    assert services.add_working_days(d("2027-02-04"), 1).provisional is True
    assert {2027} in schedule_signals


def test_a_known_year_without_table_rows_falls_back_to_the_package():
    services.announced_year_withdraw(year=2025)
    result = services.add_working_days(d("2025-09-30"), 6)
    assert result == services.WorkdayResult(d("2025-10-15"), provisional=False)
    assert services.day_info(d("2025-10-11")).source == "package"


def test_the_table_overrides_the_package_for_its_year():
    days = [services.SpecialDayInput(d("2025-10-01"), "holiday", "国庆节")]
    services.schedule_announce(year=2025, days=days)
    assert services.is_working_day(d("2025-10-02")) is True
    assert services.is_working_day(d("2025-10-11")) is False


def test_seeded_table_matches_the_package():
    assert AnnouncedYear.objects.filter(year__in=[2025, 2026]).count() == 2
    makeup_2025 = SpecialDay.objects.filter(year=2025, kind="makeup_workday")
    assert {d("2025-09-28"), d("2025-10-11")} <= {x.date for x in makeup_2025}
    assert services.day_info(d("2025-10-11")).source == "announced"


@pytest.mark.parametrize(
    "start, n, message",
    [
        (d("2025-09-30"), -1, "negative"),
        (d("2025-09-30"), 1.5, "integer"),
        (d("2025-09-30"), "6", "integer"),
        (d("2025-09-30"), True, "integer"),
        ("2025-09-30", 6, "start"),
        (d("1999-01-04"), 1, "start"),
        (d("2100-12-01"), 100, "2100"),
    ],
)
def test_bad_arguments(start, n, message):
    with pytest.raises(ValueError, match=message):
        services.add_working_days(start, n)


@pytest.mark.parametrize(
    "role, allowed",
    [(StaffRole.SYSTEM_ADMIN, True), (StaffRole.STATION_OFFICER, False)],
)
def test_only_operators_announce(role, allowed):
    actor = StaffFactory(role=role)
    if allowed:
        services.schedule_announce(year=2027, days=SCHEDULE_2027, actor=actor)
        assert AnnouncedYear.objects.filter(year=2027).exists()
    else:
        with pytest.raises(PermissionDenied):
            services.schedule_announce(year=2027, days=SCHEDULE_2027, actor=actor)
        assert not AnnouncedYear.objects.filter(year=2027).exists()
        assert not AuditEvent.objects.filter(action="workdays:announce").exists()


@pytest.mark.parametrize(
    "days, message",
    [
        ([services.SpecialDayInput(d("2026-02-05"), "holiday", "x")], "2027"),
        ([services.SpecialDayInput(d("2027-02-08"), "makeup_workday", "x")], "周六"),
        ([services.SpecialDayInput(d("2027-02-08"), "festival", "x")], "kind"),
        ([services.SpecialDayInput(d("2027-02-08"), "holiday", " ")], "name"),
    ],
)
def test_announce_refuses_bad_days(days, message):
    with pytest.raises(ValueError, match=message):
        services.schedule_announce(year=2027, days=days)
    assert not AnnouncedYear.objects.filter(year=2027).exists()


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=d("2024-01-01"), max_value=d("2027-12-31")),
    n=st.integers(min_value=0, max_value=400),
)
def test_between_is_the_inverse_of_add(start, n):
    result = services.add_working_days(start, n)
    assert services.working_days_between(start, result.date) == n
    if n:
        assert services.is_working_day(result.date)
        before = services.add_working_days(start, n - 1).date
        assert before < result.date
