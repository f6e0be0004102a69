from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from huji.appointments.constants import BookingState, Weekday


class WindowSlotTemplate(models.Model):
    """A station's standing window hours: on ``weekday``, ``start``–``end``, up to
    ``capacity`` visitors. Concrete slots are made from these for working days."""

    station = models.ForeignKey(
        "organizations.Organisation",
        verbose_name=_("派出所"),
        on_delete=models.CASCADE,
        related_name="window_templates",
    )
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(_("可预约人数"))
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("窗口时段模板")
        verbose_name_plural = _("窗口时段模板")
        ordering = ["station", "weekday", "start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "weekday", "start_time"],
                name="window_template_unique_start",
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="window_template_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="window_template_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.get_weekday_display()} {self.start_time:%H:%M}"


class WindowSlot(models.Model):
    """One bookable time at one station's household window."""

    station = models.ForeignKey(
        "organizations.Organisation",
        verbose_name=_("派出所"),
        on_delete=models.CASCADE,
        related_name="window_slots",
    )
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"))
    capacity = models.PositiveSmallIntegerField(_("可预约人数"))
    # Kept in step with active bookings by the services (conditional UPDATE), so
    # the capacity check needs no COUNT and holds under concurrency.
    booked = models.PositiveSmallIntegerField(_("已预约人数"), default=0)

    class Meta:
        verbose_name = _("窗口时段")
        verbose_name_plural = _("窗口时段")
        ordering = ["station", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "start"], name="window_slot_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")),
                name="window_slot_not_overbooked",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="window_slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.start:%Y-%m-%d %H:%M}"

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)


class Booking(models.Model):
    """A resident's visit to the window for one pre-approved application."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申请"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    slot = models.ForeignKey(
        WindowSlot,
        verbose_name=_("时段"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=BookingState.choices,
        default=BookingState.BOOKED,
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("预约人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    rescheduled_at = models.DateTimeField(_("改约时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    attended_at = models.DateTimeField(_("到场时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    # The originals the officer ticked at the window: [{"slot", "name"}].
    originals_checked = models.JSONField(_("已核原件"), default=list, blank=True)

    class Meta:
        verbose_name = _("窗口预约")
        verbose_name_plural = _("窗口预约")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state=BookingState.BOOKED),
                name="booking_one_active_per_application",
            ),
        ]
        indexes = [
            models.Index(fields=["slot", "state"]),
            models.Index(fields=["state", "reminded_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} @ {self.slot}"

    @property
    def is_active(self) -> bool:
        return self.state == BookingState.BOOKED
