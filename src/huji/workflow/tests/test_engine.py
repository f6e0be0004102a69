import pytest

from huji.accounts.constants import StaffRole
from huji.accounts.tests.factories import ResidentFactory, StaffFactory
from huji.audit.models import AuditEvent
from huji.workflow.engine import (
    APPLICANT,
    SYSTEM,
    Process,
    Rule,
    TransitionRefused,
    actor_role,
    check,
    rules,
    transition,
)
from huji.workflow.models import Transition

PROCESS = Process(
    name="demo",
    states={"a": "甲", "b": "乙", "c": "丙"},
    rules=[
        *rules("a", "go", "b", [APPLICANT]),
        *rules("b", "finish", "c", [StaffRole.STATION_OFFICER], reason_required=True),
    ],
    action_labels={"go": "前进", "finish": "完成"},
)


def test_table_refuses_unknown_states_and_duplicates():
    with pytest.raises(ValueError):
        Process(name="x", states={"a": "a"}, rules=[Rule("a", "go", "z", frozenset())])
    with pytest.raises(ValueError):
        Process(
            name="x",
            states={"a": "a", "b": "b"},
            rules=[*rules("a", "go", "b", []), *rules("a", "go", "a", [])],
        )


def test_check_explains_in_chinese_why_a_step_is_refused():
    with pytest.raises(TransitionRefused) as wrong_state:
        check(process=PROCESS, state="a", action="finish", role="station_officer")
    assert "甲" in wrong_state.value.message and "完成" in wrong_state.value.message
    assert wrong_state.value.code == "state"
    with pytest.raises(TransitionRefused) as wrong_role:
        check(process=PROCESS, state="b", action="finish", role=APPLICANT)
    assert wrong_role.value.code == "role"
    with pytest.raises(TransitionRefused) as no_reason:
        check(process=PROCESS, state="b", action="finish", role="station_officer")
    assert no_reason.value.code == "reason"
    rule = check(
        process=PROCESS,
        state="b",
        action="finish",
        role="station_officer",
        reason="ok",
    )
    assert rule.target == "c"


@pytest.mark.django_db
def test_actor_role():
    assert actor_role(None) == SYSTEM
    assert actor_role(ResidentFactory()) == APPLICANT
    assert actor_role(StaffFactory(role=StaffRole.STATION_HEAD)) == "station_head"


@pytest.mark.django_db
def test_transition_moves_the_record_and_appends_history_and_audit(world_record):
    record, resident, _officer = world_record
    step = transition(process=PROCESS, record=record, action="go", actor=resident)
    record.refresh_from_db()
    assert record.state == "b"
    assert (step.from_state, step.to_state, step.actor_role) == ("a", "b", APPLICANT)
    assert Transition.objects.filter(process="demo", record_id=record.pk).count() == 1
    event = AuditEvent.objects.get(action="demo:go")
    assert event.changes["state"] == ["a", "b"]
    with pytest.raises(ValueError):
        step.save()
    with pytest.raises(ValueError):
        step.delete()


@pytest.mark.django_db
def test_transition_refused_changes_nothing(world_record):
    record, _resident, officer = world_record
    with pytest.raises(TransitionRefused):
        transition(
            process=PROCESS, record=record, action="finish", actor=officer, reason="x"
        )
    record.refresh_from_db()
    assert record.state == "a"
    assert not Transition.objects.filter(process="demo").exists()


@pytest.mark.django_db
def test_transition_rereads_the_state_under_lock(world_record):
    """A stale in-memory state does not let a step start from the wrong state."""
    record, resident, _officer = world_record
    type(record).objects.filter(pk=record.pk).update(state="b")
    record.state = "a"  # stale
    with pytest.raises(TransitionRefused):
        transition(process=PROCESS, record=record, action="go", actor=resident)


@pytest.fixture
def world_record(db):
    """Any model with a ``state`` column will do: an application draft's row."""
    from huji.applications.models import Application
    from huji.applications.tests.factories import make_version

    resident = ResidentFactory()
    version = make_version()
    record = Application.objects.create(
        applicant=resident,
        applicant_person=resident.person,
        item=version.item,
        item_version=version,
        state="a",
    )
    return record, resident, StaffFactory()
