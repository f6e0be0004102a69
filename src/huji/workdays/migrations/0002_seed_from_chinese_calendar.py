"""Seed the operator table from chinese-calendar, so operators see every known year
in the admin. Each year it knows becomes an AnnouncedYear with its holidays and
make-up working days. Reverse: remove the rows this migration added."""

from django.db import migrations

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
SOURCE_PREFIX = "chinese-calendar"


def _zh(value) -> str:
    value = getattr(value, "value", value)
    if isinstance(value, tuple):
        value = value[0]
    return NAMES.get(value, value or "")


def seed(apps, schema_editor):
    import chinese_calendar
    from chinese_calendar import constants

    AnnouncedYear = apps.get_model("workdays", "AnnouncedYear")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    version = getattr(chinese_calendar, "__version__", "")
    years = sorted({d.year for d in constants.holidays} - {None})
    existing = set(AnnouncedYear.objects.values_list("year", flat=True))
    taken = set(SpecialDay.objects.values_list("date", flat=True))
    rows = []
    for year in years:
        if year in existing or not 2004 <= year <= 2100:
            continue
        AnnouncedYear.objects.create(
            year=year,
            source=(
                f"{SOURCE_PREFIX} {version}: 国务院办公厅关于{year}年部分节假日安排的通知"
            ),
        )
        for table, kind in ((constants.holidays, "holiday"), (constants.workdays, "makeup_workday")):
            for day, name in table.items():
                if day.year == year and day not in taken:
                    rows.append(SpecialDay(date=day, kind=kind, name=_zh(name), year=year))
    SpecialDay.objects.bulk_create(rows, batch_size=500)


def unseed(apps, schema_editor):
    AnnouncedYear = apps.get_model("workdays", "AnnouncedYear")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    years = list(
        AnnouncedYear.objects.filter(
            source__startswith=SOURCE_PREFIX, entered_by__isnull=True
        ).values_list("year", flat=True)
    )
    SpecialDay.objects.filter(year__in=years).delete()
    AnnouncedYear.objects.filter(year__in=years).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
