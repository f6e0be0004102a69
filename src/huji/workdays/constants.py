from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班")


class Source(models.TextChoices):
    """Where a year's calendar comes from, in order of precedence."""

    ANNOUNCED = "announced", _("已公布（运营录入）")
    PACKAGE = "package", _("chinese-calendar 数据")
    PROVISIONAL = "provisional", _("暂定（按法定假日规则推算）")


# English names used by chinese-calendar, mapped to the names in the notices.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# Years the calendar answers for. Before 2004 there is no data; after 2100 the
# statutory rules of the holidays package stop.
MIN_YEAR = 2004
MAX_YEAR = 2100
