"""``huji workdays``: the working-day calendar on the console.

    huji workdays add 2025-09-30 6        -> 2025-10-15
    huji workdays between 2025-09-30 2025-10-15   -> 6
    huji workdays is 2025-10-11           -> 2025-10-11 工作日 / working day (...)
    huji workdays year 2027               -> the year's holidays and make-up days
    huji workdays announce --file 2027.json [--entered-by USERNAME]
    huji workdays import --file 2027.csv --year 2027   (same as announce)

When a result depends on a year with no announced schedule, a second line
``(provisional)`` follows the result.
"""

import csv
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError

from huji.workdays import selectors, services
from huji.workdays.parsing import BadParameter, parse_date, parse_int

PROVISIONAL = "(provisional)"


class Command(BaseCommand):
    help = "China's working-day calendar: add, between, is, year, announce/import."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="deadline of N working days after START")
        add.add_argument("start")
        add.add_argument("days")
        between = sub.add_parser("between", help="working days after A up to B")
        between.add_argument("start")
        between.add_argument("end")
        is_ = sub.add_parser("is", help="is DATE a working day?")
        is_.add_argument("date")
        year = sub.add_parser("year", help="a year's holidays and make-up days")
        year.add_argument("year")
        for name in ("announce", "import"):
            announce = sub.add_parser(
                name, help="enter a year's announced schedule from a JSON or CSV file"
            )
            announce.add_argument("--file", required=True)
            announce.add_argument("--year", help="needed for CSV files")
            announce.add_argument("--announced-on", help="YYYY-MM-DD")
            announce.add_argument("--source", help="the notice's title / text")
            announce.add_argument("--entered-by", help="username of the operator")

    def handle(self, *args, action, **options):
        handler = getattr(self, f"_{'announce' if action == 'import' else action}")
        try:
            handler(**options)
        except BadParameter as exc:
            raise CommandError(exc.message) from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None

    def _provisional(self, provisional: bool) -> None:
        if provisional:
            self.stdout.write(PROVISIONAL)

    def _add(self, *, start, days, **options):
        result = services.add_working_days(
            parse_date(start, "start"), parse_int(days, "days", minimum=0)
        )
        self.stdout.write(result.date.isoformat())
        self._provisional(result.provisional)

    def _between(self, *, start, end, **options):
        result = services.working_days_between_result(
            parse_date(start, "start"), parse_date(end, "end")
        )
        self.stdout.write(str(result.days))
        self._provisional(result.provisional)

    def _is(self, *, date, **options):
        info = services.day_info(parse_date(date, "date"))
        label = "工作日 / working day" if info.working else "休息日 / day off"
        detail = ", ".join(x for x in (info.name, _KIND_LABELS.get(info.kind)) if x)
        self.stdout.write(
            f"{info.date.isoformat()} {label}" + (f" ({detail})" if detail else "")
        )
        self._provisional(info.provisional)

    def _year(self, *, year, **options):
        schedule = selectors.year_schedule(parse_int(year, "year", minimum=0))
        self.stdout.write(
            f"{schedule.year}: {schedule.source}, {schedule.working_days} working days"
        )
        for day in sorted(
            schedule.holidays + schedule.makeup_workdays, key=lambda d: d.date
        ):
            kind = _KIND_LABELS[day.kind]
            self.stdout.write(f"{day.date.isoformat()} {kind} {day.name}")
        self._provisional(schedule.provisional)

    def _announce(self, *, file, year, announced_on, source, entered_by, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"--file: {file} 不存在 / does not exist")
        if path.suffix.lower() == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            rows = data.get("days", [])
            year = year or data.get("year")
            announced_on = announced_on or data.get("announced_on")
            source = source or data.get("source", "")
        else:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle))
        if not year:
            raise CommandError("--year: 缺少年份 / the year is required")
        actor = None
        if entered_by:
            actor = get_user_model().objects.filter(username=entered_by).first()
            if actor is None:
                raise CommandError(f"--entered-by: 无此用户 / no user {entered_by}")
        days = [
            services.SpecialDayInput(
                date=parse_date(row.get("date"), "date"),
                kind=(row.get("kind") or "").strip(),
                name=row.get("name") or "",
            )
            for row in rows
        ]
        announced = services.schedule_announce(
            year=parse_int(str(year), "year", minimum=0),
            days=days,
            announced_on=(
                parse_date(announced_on, "announced_on") if announced_on else None
            ),
            source=source or "",
            actor=actor,
        )
        self.stdout.write(
            self.style.SUCCESS(f"{announced.year}: {len(days)} 天已录入 / days entered")
        )


_KIND_LABELS = {
    "holiday": "放假",
    "makeup_workday": "调休上班",
    "weekend": "",
    "workday": "",
}
