from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huji.residence.constants import (
    BatchState,
    Channel,
    DeliveryState,
    Handover,
    HousingType,
    PermitApplicationKind,
    PermitApplicationState,
    PermitBasis,
    PermitEventKind,
    RegistrationKind,
    RegistrationState,
    ResidenceReason,
)


class ResidenceRegistration(models.Model):
    """A residence registration (居住登记) or its change: the application and, once
    confirmed, the standing record of where the person lives and why."""

    number = models.CharField(_("登记编号"), max_length=32, unique=True)
    kind = models.CharField(
        _("业务"),
        max_length=8,
        choices=RegistrationKind.choices,
        default=RegistrationKind.NEW,
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    person = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="residence_registrations",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("变更前登记"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    street = models.ForeignKey(
        "organizations.Division",
        verbose_name=_("街道（镇）"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("居住地址"), max_length=300)
    handling_organisation = models.ForeignKey(
        "organizations.Organisation",
        verbose_name=_("社区事务受理服务中心"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    police_station = models.ForeignKey(
        "organizations.Organisation",
        verbose_name=_("派出所"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(
        _("居住事由"), max_length=8, choices=ResidenceReason.choices
    )
    employer = models.CharField(_("工作单位或就读学校"), max_length=200, blank=True)
    housing_type = models.CharField(
        _("住所类型"), max_length=16, choices=HousingType.choices
    )
    housing_proof = models.CharField(
        _("住所证明（编号或说明）"), max_length=200, blank=True
    )
    phone = models.CharField(_("联系电话"), max_length=20)
    material_ids = models.JSONField(_("材料"), default=list, blank=True)
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=RegistrationState.choices,
        default=RegistrationState.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    due_on = models.DateField(_("确认期限"))
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_reason = models.CharField(_("不予登记理由"), max_length=300, blank=True)
    registered_on = models.DateField(_("登记日期"), null=True, blank=True)
    certificate = models.OneToOneField(
        "certificates.Certificate",
        verbose_name=_("居住登记凭证"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("居住登记")
        verbose_name_plural = _("居住登记")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["state", "due_on"]),
            models.Index(fields=["person", "state"]),
            models.Index(fields=["handling_organisation", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(state="submitted"),
                name="residence_one_open_registration",
            )
        ]

    def __str__(self) -> str:
        return self.number


class PermitApplication(models.Model):
    """One residence-permit application: new, endorsement, change, reissue, loss
    report or its cancellation; online or at any center's counter."""

    number = models.CharField(_("申请编号"), max_length=32, unique=True)
    kind = models.CharField(
        _("业务"), max_length=8, choices=PermitApplicationKind.choices
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    person = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="permit_applications",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registration = models.ForeignKey(
        ResidenceRegistration,
        verbose_name=_("居住登记"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="permit_applications",
    )
    permit = models.ForeignKey(
        "Permit",
        verbose_name=_("所涉居住证"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    basis = models.CharField(
        _("申办条件"), max_length=8, choices=PermitBasis.choices, blank=True
    )
    social_insurance_declared = models.BooleanField(
        _("以连续6个月社会保险代替半年居住登记"), default=False
    )
    details = models.JSONField(_("申请内容"), default=dict, blank=True)
    material_ids = models.JSONField(_("材料"), default=list, blank=True)
    handover = models.CharField(
        _("领证方式"),
        max_length=8,
        choices=Handover.choices,
        default=Handover.COLLECT,
    )
    pickup_center = models.ForeignKey(
        "organizations.Organisation",
        verbose_name=_("领证中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery_address = models.CharField(_("投递地址"), max_length=300, blank=True)
    delivery_phone = models.CharField(_("投递联系电话"), max_length=20, blank=True)
    handling_organisation = models.ForeignKey(
        "organizations.Organisation",
        verbose_name=_("受理中心"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    production_organisation = models.ForeignKey(
        "organizations.Organisation",
        verbose_name=_("制证机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    batch = models.ForeignKey(
        "CardBatch",
        verbose_name=_("制证批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    state = models.CharField(
        _("状态"),
        max_length=24,
        choices=PermitApplicationState.choices,
        default=PermitApplicationState.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    review_due_on = models.DateField(_("审核期限"), null=True, blank=True)
    result_visible_on = models.DateField(_("可查询审核结果日期"), null=True, blank=True)
    approved_on = models.DateField(_("审核通过日期"), null=True, blank=True)
    production_due_on = models.DateField(_("制证期限"), null=True, blank=True)
    decision_reason = models.CharField(_("审核意见"), max_length=300, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("居住证申请")
        verbose_name_plural = _("居住证申请")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["state", "review_due_on"]),
            models.Index(fields=["production_organisation", "state"]),
            models.Index(fields=["handling_organisation", "state"]),
            models.Index(fields=["person", "kind", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(
                    kind__in=["new", "reissue"],
                    state__in=[
                        "submitted",
                        "accepted",
                        "correction_requested",
                        "in_production",
                    ],
                ),
                name="residence_one_open_card_application",
            ),
            models.CheckConstraint(
                condition=~Q(handover="post") | ~Q(delivery_address=""),
                name="residence_post_has_address",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Permit(models.Model):
    """A residence permit card (《上海市居住证》). Its state is derived from its
    events (``residence.rules.permit_state``); the columns are a cache of the
    latest values for queries and are rewritten by the services only."""

    card_number = models.CharField(_("卡号"), max_length=32, unique=True)
    person = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("持证人"),
        on_delete=models.PROTECT,
        related_name="residence_permits",
    )
    application = models.OneToOneField(
        PermitApplication,
        verbose_name=_("制证申请"),
        on_delete=models.PROTECT,
        related_name="card",
    )
    issued_on = models.DateField(_("签发日期"))
    valid_until = models.DateField(_("签注有效期至"))
    residence_since = models.DateField(_("居住年限起算日"))
    address = models.CharField(_("居住地址"), max_length=300)
    employer = models.CharField(_("工作单位或就读学校"), max_length=200, blank=True)
    certificate = models.OneToOneField(
        "certificates.Certificate",
        verbose_name=_("电子证照"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reminded_for = models.DateField(_("已提醒签注的有效期"), null=True, blank=True)

    class Meta:
        verbose_name = _("居住证")
        verbose_name_plural = _("居住证")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["person", "issued_on"]),
            models.Index(fields=["valid_until"]),
        ]

    def __str__(self) -> str:
        return self.card_number


class PermitEvent(models.Model):
    """Append-only history of a permit; its state is folded from these."""

    permit = models.ForeignKey(
        Permit,
        verbose_name=_("居住证"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    kind = models.CharField(_("事件"), max_length=16, choices=PermitEventKind.choices)
    on = models.DateField(_("日期"))
    valid_until = models.DateField(_("事件后的有效期至"), null=True, blank=True)
    application = models.ForeignKey(
        PermitApplication,
        verbose_name=_("申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    details = models.JSONField(_("详情"), default=dict, blank=True)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("居住证事件")
        verbose_name_plural = _("居住证事件")
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["permit", "on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Permit events are append-only.")
        super().save(*args, **kwargs)


class CardBatch(models.Model):
    """A production batch of approved permits: printed, checked, dispatched."""

    number = models.CharField(_("批次号"), max_length=32, unique=True)
    organisation = models.ForeignKey(
        "organizations.Organisation",
        verbose_name=_("制证机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=BatchState.choices, default=BatchState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建批人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("建批时间"), auto_now_add=True)
    due_on = models.DateField(_("制证期限（批内最早）"))
    printed_at = models.DateTimeField(_("打印时间"), null=True, blank=True)
    checked_at = models.DateTimeField(_("质检时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("发出时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("制证批次")
        verbose_name_plural = _("制证批次")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "state", "due_on"])]

    def __str__(self) -> str:
        return self.number


class Delivery(models.Model):
    """One card sent by post (邮政专递): address, phone, attempts, cash (15 yuan)."""

    application = models.ForeignKey(
        PermitApplication,
        verbose_name=_("申请"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    organisation = models.ForeignKey(
        "organizations.Organisation",
        verbose_name=_("投递机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    courier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("投递员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_name = models.CharField(_("收件人"), max_length=64)
    address = models.CharField(_("投递地址"), max_length=300)
    phone = models.CharField(_("预留电话"), max_length=20)
    fee_yuan = models.PositiveSmallIntegerField(_("到付费用（元）"), default=15)
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=DeliveryState.choices,
        default=DeliveryState.PENDING,
    )
    due_on = models.DateField(_("投递期限"))
    attempts = models.PositiveSmallIntegerField(_("投递次数"), default=0)
    agreed_time = models.CharField(_("约定时间"), max_length=64, blank=True)
    called_at = models.DateTimeField(_("电话联系时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    cash_collected_yuan = models.PositiveSmallIntegerField(
        _("实收现金（元）"), default=0
    )
    failure_reason = models.CharField(_("未成功原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("邮政投递")
        verbose_name_plural = _("邮政投递")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["organisation", "state", "due_on"]),
            models.Index(fields=["courier", "delivered_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.application.number} → {self.address}"


class CashReconciliation(models.Model):
    """Cash a courier handed over for one day, against what the deliveries say."""

    organisation = models.ForeignKey(
        "organizations.Organisation",
        verbose_name=_("投递机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    courier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("投递员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    day = models.DateField(_("日期"))
    deliveries = models.PositiveIntegerField(_("送达件数"))
    expected_yuan = models.PositiveIntegerField(_("应收（元）"))
    received_yuan = models.PositiveIntegerField(_("实交（元）"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("对账人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("对账时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("投递现金对账")
        verbose_name_plural = _("投递现金对账")
        ordering = ["-day", "courier_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["courier", "day"], name="residence_one_reconciliation_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.courier_id} {self.day}"

    @property
    def difference_yuan(self) -> int:
        return self.received_yuan - self.expected_yuan
