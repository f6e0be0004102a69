"""Pure rules: permit state from history, endorsement window and grace (Art. 16),
eligibility (Art. 9), change within 30 days (Art. 15)."""

import datetime

import pytest

from huji.residence import rules
from huji.residence.constants import PermitEventKind, PermitState

D = datetime.date.fromisoformat
ISSUED = rules.EventView(PermitEventKind.ISSUED, D("2025-01-10"), D("2026-01-09"))


@pytest.mark.parametrize(
    ("today", "state"),
    [
        ("2025-06-01", PermitState.VALID),
        ("2025-12-09", PermitState.VALID),  # 31 days before the end
        ("2025-12-10", PermitState.ENDORSEMENT_DUE),  # 30 days before
        ("2026-01-09", PermitState.ENDORSEMENT_DUE),  # last day
        ("2026-01-10", PermitState.EXPIRED),
    ],
)
def test_state_follows_the_calendar(today, state):
    assert rules.permit_state([ISSUED], D(today))[0] == state


def test_loss_and_its_cancellation_and_replacement():
    lost = rules.EventView(PermitEventKind.LOST, D("2025-03-01"))
    unlost = rules.EventView(PermitEventKind.UNLOST, D("2025-03-05"))
    replaced = rules.EventView(PermitEventKind.REPLACED, D("2025-03-09"))
    assert rules.permit_state([ISSUED, lost], D("2025-03-02"))[0] == PermitState.LOST
    assert (
        rules.permit_state([ISSUED, lost, unlost], D("2025-03-06"))[0]
        == PermitState.VALID
    )
    # An event dated after "today" is not yet history.
    assert rules.permit_state([ISSUED, lost], D("2025-02-01"))[0] == PermitState.VALID
    assert (
        rules.permit_state([ISSUED, lost, replaced], D("2025-04-01"))[0]
        == PermitState.REPLACED
    )
    cancelled = rules.EventView(PermitEventKind.CANCELLED, D("2025-05-01"))
    assert rules.permit_state([ISSUED, cancelled], D("2025-05-02"))[0] == "cancelled"


def test_endorsement_moves_validity_on_by_a_year():
    endorsed = rules.EventView(
        PermitEventKind.ENDORSED, D("2025-12-20"), D("2027-01-09")
    )
    state, valid_until = rules.permit_state([ISSUED, endorsed], D("2026-02-01"))
    assert (state, valid_until) == (PermitState.VALID, D("2027-01-09"))


@pytest.mark.parametrize(
    ("today", "allowed", "late"),
    [
        ("2025-12-09", False, False),  # too early: 31 days before
        ("2025-12-10", True, False),  # window opens
        ("2026-01-09", True, False),  # last day of the year
        ("2026-01-10", True, True),  # late: functions suspended, grace
        ("2026-03-10", True, True),  # 60th day of grace
        ("2026-03-11", False, True),  # beyond grace: apply anew
    ],
)
def test_endorsement_window_and_grace(today, allowed, late):
    check = rules.endorsement_check(valid_until=D("2026-01-09"), today=D(today))
    assert check.allowed is allowed
    assert check.late is late
    if allowed:
        assert check.new_valid_until == D("2027-01-09")
    else:
        assert check.message


def test_first_validity_is_one_year_and_leap_day():
    assert rules.first_valid_until(D("2025-03-03")) == D("2026-03-02")
    assert rules.add_years(D("2024-02-29"), 1) == D("2025-02-28")
    assert rules.add_months(D("2025-08-31"), 6) == D("2026-02-28")


def test_information_change_within_30_days():
    assert rules.change_is_timely(changed_on=D("2025-05-01"), today=D("2025-05-31"))
    assert not rules.change_is_timely(changed_on=D("2025-05-01"), today=D("2025-06-01"))


@pytest.mark.parametrize(
    ("registered", "insurance", "ok"),
    [
        ("2025-01-15", False, True),  # exactly half a year
        ("2025-01-16", False, False),  # one day short
        ("2025-05-01", True, True),  # social insurance instead
        (None, True, False),  # no registration at all
    ],
)
def test_eligibility_half_a_year_or_insurance(registered, insurance, ok):
    result = rules.permit_eligibility(
        registered_on=D(registered) if registered else None,
        today=D("2025-07-15"),
        social_insurance_declared=insurance,
        basis="job",
        has_active_permit=False,
    )
    assert result.ok is ok
    assert bool(result.reasons) is not ok


def test_eligibility_needs_a_basis_and_no_active_permit():
    common = {
        "registered_on": D("2024-01-01"),
        "today": D("2025-07-15"),
        "social_insurance_declared": False,
    }
    assert not rules.permit_eligibility(**common, basis="", has_active_permit=False).ok
    assert not rules.permit_eligibility(
        **common, basis="study", has_active_permit=True
    ).ok
