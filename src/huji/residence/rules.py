"""Pure rules of a permit's life (no database): state from history, the
endorsement window and grace (《上海市居住证管理办法》 Art. 16), the half-year of
registration (Art. 9), the 30 days for an information change (Art. 15)."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from huji.residence.constants import (
    CHANGE_WITHIN_DAYS,
    ENDORSE_GRACE_DAYS,
    ENDORSE_WINDOW_DAYS,
    MIN_REGISTERED_MONTHS,
    PermitEventKind,
    PermitState,
)


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def first_valid_until(issued_on: datetime.date) -> datetime.date:
    """A permit is endorsed yearly (Art. 7): the first year ends the day before the
    first anniversary of issue."""
    return add_years(issued_on, 1) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class EventView:
    kind: str
    on: datetime.date
    valid_until: datetime.date | None = None


def permit_state(events, today: datetime.date) -> tuple[str, datetime.date | None]:
    """Fold a permit's events (oldest first) into (state, valid_until)."""
    valid_until = None
    lost = replaced = cancelled = False
    for event in events:
        if event.on > today:
            continue
        if event.valid_until:
            valid_until = event.valid_until
        if event.kind == PermitEventKind.LOST:
            lost = True
        elif event.kind == PermitEventKind.UNLOST:
            lost = False
        elif event.kind == PermitEventKind.REPLACED:
            replaced = True
        elif event.kind == PermitEventKind.CANCELLED:
            cancelled = True
    if cancelled:
        return PermitState.CANCELLED, valid_until
    if replaced:
        return PermitState.REPLACED, valid_until
    if lost:
        return PermitState.LOST, valid_until
    if valid_until is None:
        return PermitState.VALID, None
    if today > valid_until:
        return PermitState.EXPIRED, valid_until
    if today >= valid_until - datetime.timedelta(days=ENDORSE_WINDOW_DAYS):
        return PermitState.ENDORSEMENT_DUE, valid_until
    return PermitState.VALID, valid_until


@dataclass(frozen=True)
class EndorsementCheck:
    allowed: bool
    message: str
    late: bool = False
    window_opens: datetime.date | None = None
    grace_ends: datetime.date | None = None
    new_valid_until: datetime.date | None = None


def endorsement_check(
    *, valid_until: datetime.date, today: datetime.date
) -> EndorsementCheck:
    """Art. 16: endorse within the 30 days before the year ends; when late, the
    permit's functions stop and are restored by endorsing within 60 days; after
    that the permit cannot be endorsed (apply anew: residence years restart)."""
    opens = valid_until - datetime.timedelta(days=ENDORSE_WINDOW_DAYS)
    grace_ends = valid_until + datetime.timedelta(days=ENDORSE_GRACE_DAYS)
    extra = {"window_opens": opens, "grace_ends": grace_ends}
    if today < opens:
        return EndorsementCheck(
            False,
            _("签注须在有效期届满前30日内办理，最早可于%(date)s办理。")
            % {"date": f"{opens.year}年{opens.month}月{opens.day}日"},
            **extra,
        )
    if today > grace_ends:
        return EndorsementCheck(
            False,
            _("已逾期超过60日，不能再签注，请重新申办居住证（居住年限重新计算）。"),
            late=True,
            **extra,
        )
    late = today > valid_until
    return EndorsementCheck(
        True,
        _("逾期签注：使用功能自签注之日起恢复。") if late else _("可以签注。"),
        late=late,
        new_valid_until=add_years(valid_until, 1),
        **extra,
    )


def change_is_timely(*, changed_on: datetime.date, today: datetime.date) -> bool:
    """Art. 15: report a change of address or employer within 30 days."""
    return (today - changed_on).days <= CHANGE_WITHIN_DAYS


@dataclass
class Eligibility:
    ok: bool
    reasons: list[str] = field(default_factory=list)
    registered_since: datetime.date | None = None
    qualifies_on: datetime.date | None = None


def permit_eligibility(
    *,
    registered_on: datetime.date | None,
    today: datetime.date,
    social_insurance_declared: bool,
    basis: str,
    has_active_permit: bool,
) -> Eligibility:
    """居住证新办 conditions (Art. 9): registered here for half a year (or six
    consecutive months of Shanghai social insurance, declared with proof) and one
    of a stable job, stable housing or continuous study."""
    reasons = []
    qualifies_on = None
    if has_active_permit:
        reasons.append(_("您已持有有效的居住证，请办理签注或信息变更，无需新办。"))
    if registered_on is None:
        reasons.append(_("尚无已确认的居住登记：请先办理居住登记。"))
    else:
        qualifies_on = add_months(registered_on, MIN_REGISTERED_MONTHS)
        if today < qualifies_on and not social_insurance_declared:
            reasons.append(
                _(
                    "居住登记满半年方可申领（%(date)s起），或申报在本市连续缴纳"
                    "职工社会保险满6个月并上传缴费证明。"
                )
                % {
                    "date": f"{qualifies_on.year}年{qualifies_on.month}月"
                    f"{qualifies_on.day}日"
                }
            )
    if basis not in {"job", "housing", "study"}:
        reasons.append(_("请选择申办条件：合法稳定就业、合法稳定住所或连续就读。"))
    return Eligibility(
        ok=not reasons,
        reasons=reasons,
        registered_since=registered_on,
        qualifies_on=qualifies_on,
    )
