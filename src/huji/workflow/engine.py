"""A small, explicit state machine shared by household and residence applications.

A ``Process`` is data: its states and a table of rules ``(from_state, action) →
to_state`` with the roles allowed to take each step. ``transition`` is the only
function that changes a record's state: it refuses anything the table does not
allow with ``TransitionRefused`` (a Chinese message), and in one transaction locks
the record, saves its state with ``update_fields``, appends a ``Transition`` row and
an audit row.

Roles are ``huji.accounts.constants.StaffRole`` values plus ``APPLICANT`` and
``SYSTEM``. Whether a resident is *the* applicant of a record is for the calling
service to check; the engine only knows the resident's role.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from huji.audit.services import audit_record
from huji.workflow.models import Transition

APPLICANT = "applicant"
SYSTEM = "system"


class TransitionRefused(Exception):
    """A step the process does not allow (wrong state, role, or missing reason)."""

    def __init__(self, message: str, *, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Rule:
    source: str
    action: str
    target: str
    roles: frozenset[str]
    reason_required: bool = False


@dataclass
class Process:
    """A named process: states (value → label), the final states and its rules."""

    name: str
    states: dict[str, str]
    rules: list[Rule]
    final_states: frozenset[str] = frozenset()
    action_labels: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self._table: dict[tuple[str, str], Rule] = {}
        for rule in self.rules:
            for state in (rule.source, rule.target):
                if state not in self.states:
                    raise ValueError(f"{self.name}: unknown state {state!r}")
            key = (rule.source, rule.action)
            if key in self._table:
                raise ValueError(f"{self.name}: duplicate rule {key}")
            self._table[key] = rule

    def rule(self, state: str, action: str) -> Rule | None:
        return self._table.get((state, action))

    def actions_from(self, state: str, role: str | None = None) -> list[Rule]:
        """The rules leaving ``state``; with ``role``, only those it may take."""
        return [
            rule
            for rule in self.rules
            if rule.source == state and (role is None or role in rule.roles)
        ]

    def state_label(self, state: str) -> str:
        return str(self.states.get(state, state))

    def action_label(self, action: str) -> str:
        return str(self.action_labels.get(action, action))


def rules(
    sources: Iterable[str] | str,
    action: str,
    target: str,
    roles: Iterable[str],
    *,
    reason_required: bool = False,
) -> list[Rule]:
    """Rules for one action from several states (helper for writing tables)."""
    if isinstance(sources, str):
        sources = [sources]
    frozen = frozenset(str(role) for role in roles)
    return [
        Rule(str(source), action, str(target), frozen, reason_required)
        for source in sources
    ]


def actor_role(actor) -> str:
    """The workflow role of ``actor``: a staff role, ``applicant`` or ``system``."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return SYSTEM
    if getattr(actor, "is_staff_member", False):
        return actor.role
    return APPLICANT


def check(*, process: Process, state: str, action: str, role: str, reason: str = ""):
    """The rule for this step, or ``TransitionRefused`` saying why not."""
    rule = process.rule(state, action)
    if rule is None:
        raise TransitionRefused(
            _("当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {
                "state": process.state_label(state),
                "action": process.action_label(action),
            },
            code="state",
        )
    if role not in rule.roles:
        raise TransitionRefused(
            _("您的岗位不能执行“%(action)s”。")
            % {"action": process.action_label(action)},
            code="role",
        )
    if rule.reason_required and not (reason or "").strip():
        raise TransitionRefused(
            _("“%(action)s”须填写理由。") % {"action": process.action_label(action)},
            code="reason",
        )
    return rule


def allowed(*, process: Process, state: str, action: str, role: str) -> bool:
    rule = process.rule(state, action)
    return rule is not None and role in rule.roles


@transaction.atomic
def transition(
    *,
    process: Process,
    record,
    action: str,
    actor,
    reason: str = "",
    details: dict | None = None,
    role: str | None = None,
    update_fields: Iterable[str] = (),
) -> Transition:
    """Move ``record`` by ``action``; refuse anything the table does not allow.

    The record row is locked (``select_for_update``) and its state re-read, so two
    concurrent steps cannot both start from the same state. ``update_fields`` names
    other fields the caller changed on ``record`` and wants saved with the state.
    """
    role = role or actor_role(actor)
    locked_state = (
        type(record)
        .objects.select_for_update()
        .filter(pk=record.pk)
        .values_list("state", flat=True)
        .get()
    )
    record.state = locked_state
    rule = check(
        process=process, state=locked_state, action=action, role=role, reason=reason
    )
    record.state = rule.target
    record.save(update_fields=["state", *update_fields])
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    step = Transition.objects.create(
        process=process.name,
        record_id=record.pk,
        from_state=rule.source,
        to_state=rule.target,
        action=action,
        actor=actor if is_user else None,
        actor_role=role,
        reason=reason or "",
        details=details or {},
    )
    audit_record(
        actor=actor if is_user else None,
        action=f"{process.name}:{action}",
        obj=record,
        reason=reason or "",
        changes={"state": [rule.source, rule.target], **(details or {})},
    )
    return step


def history(*, process: Process, record_id: int):
    """The transitions of one record, oldest first."""
    return (
        Transition.objects.filter(process=process.name, record_id=record_id)
        .select_related("actor")
        .order_by("at", "id")
    )
