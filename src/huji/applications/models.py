import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huji.applications.constants import (
    FINAL_STATES,
    State,
    SubjectRole,
    Verdict,
)


class Application(models.Model):
    """One request for one catalog item version (户籍业务申请).

    Drafts have no ``number`` yet: they are addressed by ``public_id`` until the
    applicant submits (``ref`` gives whichever applies).
    """

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True)
    number = models.CharField(
        _("申请编号"), max_length=20, unique=True, null=True, blank=True
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请账户"),
        on_delete=models.PROTECT,
        related_name="household_applications",
    )
    applicant_person = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="household_applications",
    )
    item = models.ForeignKey(
        "catalog.Item",
        verbose_name=_("事项"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    item_version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name=_("事项版本"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    state = models.CharField(
        _("状态"), max_length=32, choices=State.choices, default=State.DRAFT
    )
    answers = models.JSONField(_("表单内容"), default=dict, blank=True)
    handling_organisation = models.ForeignKey(
        "organizations.Organisation",
        verbose_name=_("受理派出所"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="household_applications",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办民警"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    # The station officer who reviewed it (may not approve it above the station).
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核民警"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Due date of the running stage clock, copied here for the queue's index.
    due_on = models.DateField(_("当前阶段到期日"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("预审结论时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    visit_due_on = models.DateField(_("窗口办理截止日"), null=True, blank=True)
    booking_id = models.CharField(_("预约编号"), max_length=64, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)
    refusal_reasons = models.JSONField(_("不予通过理由"), default=list, blank=True)
    policy_basis = models.TextField(_("政策依据"), blank=True)
    # The outside approval document (市人保局, 市教委, 市民政局 …) for that route.
    outside_authority = models.CharField(_("批准部门"), max_length=64, blank=True)
    outside_document_number = models.CharField(
        _("批准文件文号"), max_length=64, blank=True
    )
    outside_issued_on = models.DateField(_("批准日期"), null=True, blank=True)
    originals_checked = models.JSONField(_("已核验原件"), default=list, blank=True)
    issued = models.JSONField(_("办结结果"), default=dict, blank=True)
    # Pilot (A9): settling into a district's community public collective household.
    destination_collective = models.BooleanField(_("落户社区公共户"), default=False)
    # Applicant plus accompanying family members, fixed at submission.
    persons_count = models.PositiveSmallIntegerField(_("涉及人数"), default=1)

    class Meta:
        verbose_name = _("户籍业务申请")
        verbose_name_plural = _("户籍业务申请")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The officers' queue: their station, a state, by deadline.
            models.Index(
                fields=["handling_organisation", "state", "due_on"],
                name="app_queue",
            ),
            models.Index(fields=["applicant", "created_at"], name="app_applicant"),
            models.Index(fields=["assigned_to", "state"], name="app_assigned"),
            models.Index(
                fields=["handling_organisation", "submitted_at"], name="app_stats"
            ),
            models.Index(
                fields=["visit_due_on"],
                name="app_visit_due",
                condition=Q(state__in=[State.PRE_APPROVED, State.VISIT_BOOKED]),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant_person", "item"],
                condition=~Q(state__in=sorted(FINAL_STATES)),
                name="app_one_open_per_person_item",
                violation_error_message=_("您已有一件该事项的申请正在办理中。"),
            ),
        ]

    def __str__(self) -> str:
        return self.ref

    @property
    def ref(self) -> str:
        """The number once submitted, the public id of a draft before."""
        return self.number or str(self.public_id)

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


class DailySequence(models.Model):
    """Last application number issued on a day: locked row, so numbers are unique
    and gapless per day under concurrency."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("申请编号序列")
        verbose_name_plural = _("申请编号序列")

    def __str__(self) -> str:
        return f"{self.day} {self.last}"


class ApplicationSubject(models.Model):
    """A person the business is about: the applicant, a newborn, accompanying
    family members. ``person`` when known; a newborn without an ID number is
    captured by name and birth date."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="subjects"
    )
    role = models.CharField(_("身份"), max_length=16, choices=SubjectRole.choices)
    person = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("公民身份号码"), max_length=18, blank=True)
    relation = models.CharField(_("与申请人关系"), max_length=16, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    sex = models.CharField(_("性别"), max_length=8, blank=True)
    details = models.JSONField(_("其他信息"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("办理对象")
        verbose_name_plural = _("办理对象")
        ordering = ["application", "order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        if not self.id_number:
            return ""
        return self.id_number[:4] + "*" * 10 + self.id_number[-4:]


class MaterialSlot(models.Model):
    """One material the item requires of this application, with the officer's
    verdict. Its pages are uploads (``MaterialPage``)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="slots"
    )
    slot_key = models.CharField(_("材料键"), max_length=64)
    name = models.CharField(_("材料名称"), max_length=200)
    required = models.BooleanField(_("必交"), default=True)
    member_index = models.PositiveSmallIntegerField(null=True, blank=True)
    verdict = models.CharField(
        _("审核结论"), max_length=16, choices=Verdict.choices, default=Verdict.PENDING
    )
    reason_code = models.CharField(_("不符合原因"), max_length=32, blank=True)
    reason_text = models.TextField(_("说明"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["application", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "slot_key"], name="app_slot_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reason_label(self) -> str:
        from huji.applications.constants import RejectionReason

        if self.reason_code in RejectionReason.values:
            return str(RejectionReason(self.reason_code).label)
        return self.reason_code


class MaterialPage(models.Model):
    """One uploaded page (photo or PDF) of a material slot."""

    slot = models.ForeignKey(
        MaterialSlot, on_delete=models.CASCADE, related_name="pages"
    )
    upload = models.ForeignKey(
        "materials.MaterialUpload",
        verbose_name=_("上传文件"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("页序"), default=0)
    added_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("材料页")
        verbose_name_plural = _("材料页")
        ordering = ["slot", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["upload"], name="app_page_upload_once"),
        ]

    def __str__(self) -> str:
        return f"{self.slot} p{self.order}"


class CorrectionRequest(models.Model):
    """What the officer asked the applicant to fix (补正): material slots and form
    fields, each with a reason. Resolved by the resubmission."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="corrections"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("退回人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("退回时间"), auto_now_add=True)
    # [{"slot": "hukou_book"} | {"field": "address"}, "reason_code", "reason_text"]
    items = models.JSONField(_("补正事项"), default=list)
    note = models.TextField(_("补正说明"), blank=True)
    resolved_at = models.DateTimeField(_("补正提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("补正通知")
        verbose_name_plural = _("补正通知")
        ordering = ["application", "-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application} {self.requested_at:%Y-%m-%d}"
