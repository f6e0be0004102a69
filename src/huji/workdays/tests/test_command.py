"""``huji workdays ...`` on the console."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from huji.accounts.constants import StaffRole
from huji.accounts.tests.factories import StaffFactory
from huji.workdays.models import AnnouncedYear, SpecialDay

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def test_add_prints_exactly_the_date():
    assert run("add", "2025-09-30", "6") == "2025-10-15\n"


def test_add_into_2027_says_provisional_on_a_second_line():
    assert run("add", "2027-02-04", "1") == "2027-02-11\n(provisional)\n"


def test_between_and_is():
    assert run("between", "2025-09-30", "2025-10-15") == "6\n"
    assert (
        run("is", "2025-10-11")
        == "2025-10-11 工作日 / working day (国庆节, 调休上班)\n"
    )
    assert run("is", "2026-02-16") == "2026-02-16 休息日 / day off (春节, 放假)\n"
    assert run("is", "2027-02-09").endswith("\n(provisional)\n")


def test_year_lists_the_schedule():
    output = run("year", "2025")
    assert "2025-10-11 调休上班 国庆节" in output
    assert "(provisional)" not in output


@pytest.mark.parametrize(
    "args, parameter",
    [
        (("add", "2025-09-31", "6"), "start"),
        (("add", "2025-09-30", "six"), "days"),
        (("add", "2025-09-30", "-2"), "days"),
        (("between", "2025-09-30", "x"), "end"),
        (("is", "tomorrow"), "date"),
    ],
)
def test_bad_input_names_the_parameter(args, parameter):
    with pytest.raises(CommandError, match=parameter):
        run(*args)


def test_announce_from_json(
    tmp_path, django_capture_on_commit_callbacks, schedule_signals
):
    operator = StaffFactory(role=StaffRole.SYSTEM_ADMIN, username="ops")
    notice = {
        "year": 2027,
        "announced_on": "2026-11-20",
        "source": "测试通知",
        "days": [
            *(
                {"date": f"2027-02-{n:02d}", "kind": "holiday", "name": "春节"}
                for n in range(5, 14)
            ),
            {"date": "2027-02-20", "kind": "makeup_workday", "name": "春节"},
        ],
    }
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(notice, ensure_ascii=False), encoding="utf-8")
    assert run("add", "2027-02-04", "1") == "2027-02-11\n(provisional)\n"
    with django_capture_on_commit_callbacks(execute=True):
        output = run("announce", "--file", str(path), "--entered-by", "ops")
    assert "2027" in output
    announced = AnnouncedYear.objects.get(year=2027)
    assert (announced.entered_by, str(announced.announced_on)) == (
        operator,
        "2026-11-20",
    )
    assert run("add", "2027-02-04", "1") == "2027-02-15\n"
    assert schedule_signals == [{2027}]


def test_import_from_csv(
    tmp_path, django_capture_on_commit_callbacks, schedule_signals
):
    path = tmp_path / "2027.csv"
    path.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n",
        encoding="utf-8",
    )
    with django_capture_on_commit_callbacks(execute=True):
        run("import", "--file", str(path), "--year", "2027")
    assert SpecialDay.objects.filter(year=2027).count() == 2
    assert run("is", "2027-01-01") == "2027-01-01 休息日 / day off (元旦, 放假)\n"
    assert schedule_signals == [{2027}]


def test_import_refuses_a_bad_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "date,kind,name\n2027-01-04,makeup_workday,元旦\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="周六"):
        run("import", "--file", str(path), "--year", "2027")
    with pytest.raises(CommandError, match="--year"):
        run("import", "--file", str(path))
    assert not AnnouncedYear.objects.filter(year=2027).exists()


def test_shipped_2026_file_matches_the_seeded_table(django_capture_on_commit_callbacks):
    """data/workdays/2026.json (the operators' template) holds the official 2026
    schedule: importing it leaves the seeded 2026 table unchanged."""
    from pathlib import Path

    from huji.workdays.tests.conftest import d

    path = Path(__file__).resolve().parents[4] / "data" / "workdays" / "2026.json"
    before = set(
        SpecialDay.objects.filter(year=2026).values_list("date", "kind", "name")
    )
    with django_capture_on_commit_callbacks(execute=True):
        run("announce", "--file", str(path))
    after = set(
        SpecialDay.objects.filter(year=2026).values_list("date", "kind", "name")
    )
    assert after == before
    assert (d("2026-02-14"), "makeup_workday", "春节") in after
    assert run("add", "2026-02-13", "2") == "2026-02-24\n"
