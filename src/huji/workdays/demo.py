"""Demo data: nothing to add (the migrations seed the calendar); one line saying
which years are announced."""

from django.utils.translation import gettext as _

from huji.workdays import selectors


def seed() -> list[str]:
    years = selectors.announced_years()
    if not years:
        return [_("工作日历：尚无已公布年度 / working-day calendar: no announced year")]
    return [
        _("工作日历：已公布 %(first)s–%(last)s 年（%(count)s 个年度）")
        % {"first": years[0], "last": years[-1], "count": len(years)}
        + f" / working-day calendar: {years[0]}–{years[-1]} announced"
    ]
