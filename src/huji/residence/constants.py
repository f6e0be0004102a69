"""Choices, limits and the workflow tables of residence services.

Legal basis: 《上海市居住证管理办法》(沪府令58号). Art. 4 residence registration at the
community center; Art. 9 conditions; Art. 15 information change within 30 days;
Art. 16 endorsement within 30 days before each year ends, functions suspended when
late and restored if endorsed within 60 days; Art. 17 loss report and reissue.
The seed's service promise (2 / 6 / 7 working days, 15-yuan postal delivery) is
stricter than the law and is what the platform tracks.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from huji.accounts.constants import StaffRole
from huji.workflow.engine import APPLICANT, SYSTEM, Process, rules

# Working-day limits when the catalog item carries none (catalog keys in brackets).
CONFIRM_DAYS = 2  # B4 [confirm]
REVIEW_DAYS = 6  # B5 [review]
PRODUCTION_DAYS = 7  # B5 [production]
ENDORSE_WINDOW_DAYS = 30  # Art. 16: within 30 days before the year ends
ENDORSE_GRACE_DAYS = 60  # Art. 16: functions restored if endorsed within 60 days
CHANGE_WITHIN_DAYS = 30  # Art. 15
REMIND_BEFORE_DAYS = 30
MIN_REGISTERED_MONTHS = 6  # Art. 9 / 居住证新办: registered at least half a year
POSTAL_FEE_YUAN = 15  # B6, cash on delivery

CATALOG_REGISTRATION = "JZ-01"  # 居住登记
CATALOG_PERMIT = "JZ-03"  # 居住证新办

CARD_PRODUCTION_CODE = "SHPSB-CARD"
POSTAL_CODE = "POST-SH"


class Channel(models.TextChoices):
    ONLINE = "online", _("网上办理")
    COUNTER = "counter", _("窗口办理")


class ResidenceReason(models.TextChoices):
    WORK = "work", _("务工就业")
    STUDY = "study", _("就读进修")
    FAMILY = "family", _("投靠亲属")
    OTHER = "other", _("其他")


class HousingType(models.TextChoices):
    OWN = "own", _("自购房屋")
    RELATIVE = "relative", _("亲属房屋")
    RENTAL = "rental", _("租赁房屋（已办理租赁备案）")
    DORMITORY = "dormitory", _("单位或学校集体宿舍")


class RegistrationKind(models.TextChoices):
    NEW = "new", _("居住登记")
    CHANGE = "change", _("居住登记信息变更")


class RegistrationState(models.TextChoices):
    SUBMITTED = "submitted", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REFUSED = "refused", _("不予登记")
    SUPERSEDED = "superseded", _("已被变更")


class PermitBasis(models.TextChoices):
    JOB = "job", _("合法稳定就业")
    HOUSING = "housing", _("合法稳定住所")
    STUDY = "study", _("连续就读")


class PermitApplicationKind(models.TextChoices):
    NEW = "new", _("居住证新办")
    ENDORSE = "endorse", _("居住证签注")
    CHANGE = "change", _("居住证信息变更")
    REISSUE = "reissue", _("居住证补办")
    LOSS = "loss", _("居住证挂失")
    UNLOSS = "unloss", _("居住证解挂")


# Kinds that end with a new card from production; the others finish at the counter.
CARD_KINDS = {PermitApplicationKind.NEW, PermitApplicationKind.REISSUE}


class Handover(models.TextChoices):
    COLLECT = "collect", _("到社区事务受理服务中心领取")
    POST = "post", _("邮政专递送证上门（到付15元）")


class PermitApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理，审核中")
    CORRECTION = "correction_requested", _("待补正材料")
    REFUSED = "refused", _("不予办理")
    IN_PRODUCTION = "in_production", _("制证中")
    PRODUCED = "produced", _("已制证")
    OUT_FOR_DELIVERY = "out_for_delivery", _("邮寄中")
    READY_FOR_PICKUP = "ready_for_pickup", _("待领取")
    DELIVERED = "delivered", _("已送达")
    COLLECTED = "collected", _("已领取")
    COMPLETED = "completed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


class PermitState(models.TextChoices):
    VALID = "valid", _("有效")
    ENDORSEMENT_DUE = "endorsement_due", _("待签注")
    EXPIRED = "expired", _("已过期（使用功能中止）")
    LOST = "lost", _("已挂失")
    REPLACED = "replaced", _("已补办换新")
    CANCELLED = "cancelled", _("已注销")


class PermitEventKind(models.TextChoices):
    ISSUED = "issued", _("签发")
    ENDORSED = "endorsed", _("签注")
    CHANGED = "changed", _("信息变更")
    LOST = "lost", _("挂失")
    UNLOST = "unlost", _("解除挂失")
    REPLACED = "replaced", _("补办换新")
    CANCELLED = "cancelled", _("注销")


class BatchState(models.TextChoices):
    OPEN = "open", _("待打印")
    PRINTED = "printed", _("已打印，待质检")
    CHECKED = "checked", _("质检合格，待发出")
    DISPATCHED = "dispatched", _("已发出")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待联系")
    SCHEDULED = "scheduled", _("已约定时间")
    DELIVERED = "delivered", _("已送达（已收费）")
    FAILED = "failed", _("投递未成功")
    RETURNED = "returned", _("已退回受理中心")


CLERK = StaffRole.CENTER_CLERK
CARD = StaffRole.CARD_PRODUCTION
COURIER = StaffRole.POSTAL_COURIER
REVIEWERS = {StaffRole.CENTER_CLERK, StaffRole.CITY_APPROVER}

RS = RegistrationState
REGISTRATION_PROCESS = Process(
    name="residence_registration",
    states=dict(RS.choices),
    final_states=frozenset({RS.CONFIRMED, RS.REFUSED, RS.SUPERSEDED}),
    action_labels={
        "confirm": _("确认登记"),
        "refuse": _("不予登记"),
        "supersede": _("变更"),
    },
    rules=[
        *rules(RS.SUBMITTED, "confirm", RS.CONFIRMED, [CLERK]),
        *rules(RS.SUBMITTED, "refuse", RS.REFUSED, [CLERK], reason_required=True),
        *rules(RS.CONFIRMED, "supersede", RS.SUPERSEDED, [CLERK, APPLICANT, SYSTEM]),
    ],
)

PA = PermitApplicationState
PERMIT_PROCESS = Process(
    name="residence_permit",
    states=dict(PA.choices),
    final_states=frozenset(
        {PA.REFUSED, PA.DELIVERED, PA.COLLECTED, PA.COMPLETED, PA.WITHDRAWN}
    ),
    action_labels={
        "accept": _("受理"),
        "return": _("退回补正"),
        "resubmit": _("补正后重新提交"),
        "approve": _("审核通过，送制证"),
        "refuse": _("不予办理"),
        "produce": _("制证完成"),
        "dispatch": _("交邮政投递"),
        "to_center": _("送至受理中心待领"),
        "deliver": _("送达"),
        "return_to_center": _("退回受理中心"),
        "collect": _("领取"),
        "complete": _("办结"),
        "withdraw": _("撤回"),
    },
    rules=[
        *rules(PA.SUBMITTED, "accept", PA.ACCEPTED, [CLERK]),
        *rules(
            [PA.SUBMITTED, PA.ACCEPTED],
            "refuse",
            PA.REFUSED,
            REVIEWERS,
            reason_required=True,
        ),
        *rules(PA.ACCEPTED, "return", PA.CORRECTION, REVIEWERS, reason_required=True),
        *rules(PA.CORRECTION, "resubmit", PA.ACCEPTED, [APPLICANT, CLERK]),
        *rules(PA.ACCEPTED, "approve", PA.IN_PRODUCTION, REVIEWERS),
        *rules(PA.IN_PRODUCTION, "produce", PA.PRODUCED, [CARD]),
        *rules(PA.PRODUCED, "dispatch", PA.OUT_FOR_DELIVERY, [CARD]),
        *rules(PA.PRODUCED, "to_center", PA.READY_FOR_PICKUP, [CARD]),
        *rules(PA.OUT_FOR_DELIVERY, "deliver", PA.DELIVERED, [COURIER]),
        *rules(
            PA.OUT_FOR_DELIVERY,
            "return_to_center",
            PA.READY_FOR_PICKUP,
            [COURIER],
            reason_required=True,
        ),
        *rules(PA.READY_FOR_PICKUP, "collect", PA.COLLECTED, [CLERK]),
        *rules(PA.SUBMITTED, "complete", PA.COMPLETED, [CLERK]),
        *rules([PA.SUBMITTED, PA.CORRECTION], "withdraw", PA.WITHDRAWN, [APPLICANT]),
    ],
)

BS = BatchState
BATCH_PROCESS = Process(
    name="card_batch",
    states=dict(BS.choices),
    final_states=frozenset({BS.DISPATCHED}),
    action_labels={"print": _("打印"), "check": _("质检"), "dispatch": _("发出")},
    rules=[
        *rules(BS.OPEN, "print", BS.PRINTED, [CARD]),
        *rules(BS.PRINTED, "check", BS.CHECKED, [CARD]),
        *rules(BS.PRINTED, "reprint", BS.OPEN, [CARD], reason_required=True),
        *rules(BS.CHECKED, "dispatch", BS.DISPATCHED, [CARD]),
    ],
)

DS = DeliveryState
DELIVERY_PROCESS = Process(
    name="card_delivery",
    states=dict(DS.choices),
    final_states=frozenset({DS.DELIVERED, DS.RETURNED}),
    action_labels={
        "call": _("电话联系并约定时间"),
        "deliver": _("送达并收取到付费"),
        "fail": _("投递未成功"),
        "retry": _("再次投递"),
        "return": _("退回受理中心"),
    },
    rules=[
        *rules([DS.PENDING, DS.SCHEDULED], "call", DS.SCHEDULED, [COURIER]),
        *rules(DS.SCHEDULED, "deliver", DS.DELIVERED, [COURIER]),
        *rules(
            [DS.PENDING, DS.SCHEDULED],
            "fail",
            DS.FAILED,
            [COURIER],
            reason_required=True,
        ),
        *rules(DS.FAILED, "retry", DS.PENDING, [COURIER]),
        *rules(DS.FAILED, "return", DS.RETURNED, [COURIER], reason_required=True),
    ],
)
