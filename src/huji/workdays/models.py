from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from huji.workdays.constants import DayKind


class AnnouncedYear(models.Model):
    """A year whose State Council schedule (放假安排通知) has been entered.

    While a row exists, the year's working days come from its ``SpecialDay`` rows
    and nothing else: weekends are off, weekdays are working days, unless a
    special day says otherwise.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    announced_on = models.DateField(_("公布日期"), null=True, blank=True)
    source = models.TextField(
        _("来源 / 通知原文"),
        blank=True,
        help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电…）"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("已公布年度安排")
        verbose_name_plural = _("已公布年度安排")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2004, year__lte=2100),
                name="workdays_announced_year_in_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class SpecialDay(models.Model):
    """A day off that would be a working day or a working day that would be off,
    or any day of a holiday period (a holiday falling on a weekend included)."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=64, help_text=_("如 国庆节、春节"))
    year = models.PositiveSmallIntegerField(_("年份"), db_index=True, editable=False)

    class Meta:
        verbose_name = _("节假日 / 调休日")
        verbose_name_plural = _("节假日 / 调休日")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DayKind.values),
                name="workdays_special_day_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        self.year = self.date.year
        if (
            kwargs.get("update_fields") is not None
            and "date" in kwargs["update_fields"]
        ):
            kwargs["update_fields"] = {*kwargs["update_fields"], "year"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if (
            self.date
            and self.kind == DayKind.MAKEUP_WORKDAY
            and self.date.weekday() < 5
        ):
            raise ValidationError(
                {
                    "date": _(
                        "调休上班日应为周六或周日 / a make-up working day is a "
                        "weekend day"
                    )
                }
            )
