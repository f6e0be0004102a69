from django.db import models
from django.utils.translation import gettext_lazy as _


class BookingState(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已到窗口")
    NO_SHOW = "no_show", _("未到场")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("星期一")
    TUESDAY = 1, _("星期二")
    WEDNESDAY = 2, _("星期三")
    THURSDAY = 3, _("星期四")
    FRIDAY = 4, _("星期五")
    SATURDAY = 5, _("星期六")
    SUNDAY = 6, _("星期日")


# Who may set a station's window hours and capacity.
WINDOW_MANAGER_ROLES = {"station_officer", "station_head", "system_admin"}
# Who works the window (checks originals, completes or refuses).
WINDOW_OFFICER_ROLES = {"station_officer", "station_head"}

# How many days ahead a resident may book.
BOOKING_HORIZON_DAYS = 14
