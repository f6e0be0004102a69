from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Transition(models.Model):
    """One step of a record's life: who moved it, when, from where to where and why.

    Append-only. A record's state is the ``to_state`` of its last transition.
    """

    process = models.CharField(_("流程"), max_length=32)
    record_id = models.PositiveBigIntegerField(_("记录"))
    from_state = models.CharField(_("原状态"), max_length=32)
    to_state = models.CharField(_("新状态"), max_length=32)
    action = models.CharField(_("动作"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_role = models.CharField(_("角色"), max_length=32)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    reason = models.TextField(_("理由"), blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["at", "id"]
        indexes = [
            models.Index(
                fields=["process", "record_id", "at"], name="workflow_tr_record_at"
            ),
            models.Index(fields=["actor", "at"], name="workflow_tr_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.process}:{self.record_id} {self.from_state}→{self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Transitions are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Transitions are append-only.")


class StageClock(models.Model):
    """The deadline of one stage of one record, in working days.

    ``due_on`` = ``started_on`` + ``limit_days`` + the working days the clock stood
    still (``paused_working_days``, from the closed ``pauses``). While paused,
    ``paused_on`` is set and the due date is not running.
    """

    process = models.CharField(_("流程"), max_length=32)
    record_id = models.PositiveBigIntegerField(_("记录"))
    stage = models.CharField(_("阶段"), max_length=32)
    limit_days = models.PositiveSmallIntegerField(_("时限（工作日）"))
    started_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("到期日期"))
    provisional = models.BooleanField(_("到期日依赖未公布的放假安排"), default=False)
    paused_on = models.DateField(_("暂停日期"), null=True, blank=True)
    paused_working_days = models.PositiveSmallIntegerField(_("暂停工作日数"), default=0)
    # Closed pauses as [["2025-09-29", "2025-10-10"], ...] (ISO dates).
    pauses = models.JSONField(_("暂停记录"), default=list, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    on_time = models.BooleanField(_("按时完成"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("阶段时限")
        verbose_name_plural = _("阶段时限")
        ordering = ["started_on", "id"]
        indexes = [
            models.Index(
                fields=["process", "record_id", "stage"], name="workflow_clock_record"
            ),
            # "Open, running clocks due before X": the reminder task's query.
            models.Index(
                fields=["due_on"],
                name="workflow_clock_open_due",
                condition=Q(finished_at__isnull=True, paused_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process}:{self.record_id} {self.stage} → {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.finished_at is None

    @property
    def is_paused(self) -> bool:
        return self.paused_on is not None
