"""States, actions and the transition table of household-registration applications
(户籍业务申请), plus the reason lists officers pick from."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from huji.accounts.constants import StaffRole
from huji.workflow.engine import APPLICANT, SYSTEM, Process, rules

PROCESS_NAME = "household"


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待受理")
    UNDER_REVIEW = "under_review", _("审核中")
    CORRECTION_REQUESTED = "correction_requested", _("待补正")
    RESUBMITTED = "resubmitted", _("已补正，待审核")
    AWAITING_DISTRICT = "awaiting_district", _("待分局审批")
    AWAITING_CITY = "awaiting_city", _("待市局审批")
    PRE_APPROVED = "pre_approved", _("预审通过，待窗口办理")
    REFUSED = "refused", _("预审未通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    VISIT_BOOKED = "visit_booked", _("已预约窗口")
    COMPLETED = "completed", _("已办结")
    REFUSED_AT_WINDOW = "refused_at_window", _("窗口核验未通过")
    CLOSED_NO_VISIT = "closed_no_visit", _("逾期未到窗口，已关闭")


class Action(models.TextChoices):
    SUBMIT = "submit", _("提交申请")
    CLAIM = "claim", _("认领")
    RELEASE = "release", _("退回待认领")
    RETURN = "return", _("退回补正")
    RESUBMIT = "resubmit", _("补正后重新提交")
    FORWARD = "forward", _("报送上级审批")
    APPROVE = "approve", _("审批同意")
    APPROVE_FORWARD = "approve_forward", _("审核同意，报市局审批")
    SEND_BACK = "send_back", _("退回派出所重审")
    PRE_APPROVE = "pre_approve", _("预审通过")
    REFUSE = "refuse", _("不予通过")
    WITHDRAW = "withdraw", _("撤回申请")
    BOOK = "book", _("预约窗口")
    CANCEL_VISIT = "cancel_visit", _("取消预约")
    COMPLETE = "complete", _("窗口办结")
    REFUSE_AT_WINDOW = "refuse_at_window", _("窗口核验不通过")
    EXPIRE = "expire", _("逾期关闭")


FINAL_STATES = frozenset(
    {
        State.REFUSED,
        State.WITHDRAWN,
        State.COMPLETED,
        State.REFUSED_AT_WINDOW,
        State.CLOSED_NO_VISIT,
    }
)
OPEN_STATES = frozenset(State.values) - FINAL_STATES
# States in which the file is waiting for an officer of the station.
STATION_QUEUE_STATES = frozenset(
    {State.SUBMITTED, State.RESUBMITTED, State.UNDER_REVIEW}
)
APPROVAL_STATES = frozenset({State.AWAITING_DISTRICT, State.AWAITING_CITY})
# States whose stage clock runs (the officers' deadlines).
CLOCKED_STATES = STATION_QUEUE_STATES | APPROVAL_STATES

OFFICER = StaffRole.STATION_OFFICER
HEAD = StaffRole.STATION_HEAD
DISTRICT = StaffRole.DISTRICT_APPROVER
CITY = StaffRole.CITY_APPROVER
STATION = (OFFICER, HEAD)

S = State
A = Action

TRANSITIONS = [
    *rules(S.DRAFT, A.SUBMIT, S.SUBMITTED, [APPLICANT]),
    *rules([S.SUBMITTED, S.RESUBMITTED], A.CLAIM, S.UNDER_REVIEW, STATION),
    *rules(S.UNDER_REVIEW, A.RELEASE, S.SUBMITTED, STATION),
    *rules(
        S.UNDER_REVIEW, A.RETURN, S.CORRECTION_REQUESTED, STATION, reason_required=True
    ),
    *rules(S.CORRECTION_REQUESTED, A.RESUBMIT, S.RESUBMITTED, [APPLICANT]),
    *rules(S.UNDER_REVIEW, A.FORWARD, S.AWAITING_DISTRICT, STATION),
    *rules(S.AWAITING_DISTRICT, A.APPROVE, S.PRE_APPROVED, [DISTRICT]),
    *rules(S.AWAITING_DISTRICT, A.APPROVE_FORWARD, S.AWAITING_CITY, [DISTRICT]),
    *rules(S.AWAITING_CITY, A.APPROVE, S.PRE_APPROVED, [CITY]),
    *rules(
        S.AWAITING_DISTRICT,
        A.SEND_BACK,
        S.UNDER_REVIEW,
        [DISTRICT],
        reason_required=True,
    ),
    *rules(S.AWAITING_CITY, A.SEND_BACK, S.UNDER_REVIEW, [CITY], reason_required=True),
    *rules(S.UNDER_REVIEW, A.PRE_APPROVE, S.PRE_APPROVED, STATION),
    *rules(S.UNDER_REVIEW, A.REFUSE, S.REFUSED, STATION, reason_required=True),
    *rules(S.AWAITING_DISTRICT, A.REFUSE, S.REFUSED, [DISTRICT], reason_required=True),
    *rules(S.AWAITING_CITY, A.REFUSE, S.REFUSED, [CITY], reason_required=True),
    *rules(
        [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.CORRECTION_REQUESTED, S.RESUBMITTED],
        A.WITHDRAW,
        S.WITHDRAWN,
        [APPLICANT],
    ),
    *rules(S.PRE_APPROVED, A.BOOK, S.VISIT_BOOKED, [APPLICANT, SYSTEM, *STATION]),
    *rules(
        S.VISIT_BOOKED, A.CANCEL_VISIT, S.PRE_APPROVED, [APPLICANT, SYSTEM, *STATION]
    ),
    *rules([S.PRE_APPROVED, S.VISIT_BOOKED], A.COMPLETE, S.COMPLETED, STATION),
    *rules(
        [S.PRE_APPROVED, S.VISIT_BOOKED],
        A.REFUSE_AT_WINDOW,
        S.REFUSED_AT_WINDOW,
        STATION,
        reason_required=True,
    ),
    *rules([S.PRE_APPROVED, S.VISIT_BOOKED], A.EXPIRE, S.CLOSED_NO_VISIT, [SYSTEM]),
]

PROCESS = Process(
    name=PROCESS_NAME,
    states=dict(State.choices),
    rules=TRANSITIONS,
    final_states=FINAL_STATES,
    action_labels=dict(Action.choices),
)


class Stage(models.TextChoices):
    """Stage clocks of an application (keys of ``ItemVersion.time_limits``)."""

    REVIEW = "review", _("派出所审核")
    DISTRICT = "district", _("分局审批")
    CITY = "city", _("市局审批")


DEFAULT_LIMITS = {"review": 5, "district": 10, "city": 15, "visit_valid_days": 30}
# Working days before the due date when the officer gets a reminder.
REMIND_DAYS_BEFORE = 1


class Verdict(models.TextChoices):
    PENDING = "pending", _("待审")
    ACCEPTED = "accepted", _("符合要求")
    REJECTED = "rejected", _("不符合要求")


class RejectionReason(models.TextChoices):
    """Why a material does not meet the requirements (one click for officers)."""

    UNCLEAR = "unclear", _("照片不清晰，请在光线充足处重新拍摄")
    INCOMPLETE = "incomplete", _("材料不完整，请拍全所有页面及四角")
    WRONG_DOCUMENT = "wrong_document", _("上传的材料与要求不符")
    EXPIRED = "expired", _("证件已过有效期")
    MISMATCH = "mismatch", _("材料信息与申请填写的内容不一致")
    MISSING_SEAL = "missing_seal", _("缺少盖章或签名")
    MISSING_PAGE = "missing_page", _("缺少变更页/记事页")
    OTHER = "other", _("其他（见说明）")


class RefusalReason(models.TextChoices):
    """Why a pre-approval is refused (plus free text and the policy basis)."""

    CONDITIONS_NOT_MET = "conditions_not_met", _("不符合本事项的办理条件")
    NOT_IN_JURISDICTION = "not_in_jurisdiction", _("不属本派出所管辖")
    FALSE_MATERIALS = "false_materials", _("材料虚假或与事实不符")
    DUPLICATE = "duplicate", _("重复申请")
    OUTSIDE_NOT_APPROVED = "outside_not_approved", _("缺少主管部门的批准文件")
    OTHER = "other", _("其他（见说明）")


class SubjectRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人本人")
    SUBJECT = "subject", _("办理对象")
    NEWBORN = "newborn", _("新生儿")
    FAMILY_MEMBER = "family_member", _("随迁家属")


# What the resident must do next, per state (the "what do I do now?" line).
NEXT_STEP = {
    State.DRAFT: _("请填写表单、上传材料后提交申请。"),
    State.SUBMITTED: _("申请已提交，等待派出所户籍民警审核，无需您操作。"),
    State.UNDER_REVIEW: _("户籍民警正在审核您的材料，无需您操作。"),
    State.CORRECTION_REQUESTED: _(
        "请按退回意见修改表单或重新拍摄、补充材料，然后重新提交。"
    ),
    State.RESUBMITTED: _("补正材料已提交，等待户籍民警重新审核。"),
    State.AWAITING_DISTRICT: _("派出所已审核，正在等待区公安分局审批，无需您操作。"),
    State.AWAITING_CITY: _("分局已审核，正在等待市公安局审批，无需您操作。"),
    State.PRE_APPROVED: _(
        "网上预审已通过。请预约窗口时间，携带所列材料原件到派出所户籍窗口办理。"
    ),
    State.VISIT_BOOKED: _("请按预约时间携带材料原件到派出所户籍窗口，一次办结。"),
    State.REFUSED: _("预审未通过，请查看理由和政策依据。如有疑问可咨询派出所。"),
    State.WITHDRAWN: _("申请已撤回。"),
    State.COMPLETED: _("业务已办结。"),
    State.REFUSED_AT_WINDOW: _("窗口核验未通过，请查看理由。"),
    State.CLOSED_NO_VISIT: _(
        "预审通过后逾期未到窗口办理，申请已关闭，如需办理请重新申请。"
    ),
}
