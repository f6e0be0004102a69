"""Reads of household-registration applications, already scoped: residents see
their own, staff their jurisdiction. Out of scope gives the same ``Http404`` as
missing."""

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from huji.accounts.constants import StaffRole
from huji.applications.constants import (
    APPROVAL_STATES,
    CLOCKED_STATES,
    NEXT_STEP,
    PROCESS,
    REMIND_DAYS_BEFORE,
    State,
)
from huji.applications.models import Application
from huji.audit.services import audit_record
from huji.organizations.permissions import scope_queryset
from huji.workflow import clocks
from huji.workflow.engine import actor_role
from huji.workflow.models import StageClock, Transition


def _base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "item", "item_version", "handling_organisation", "assigned_to"
    )


def applications_for_resident(*, user) -> QuerySet[Application]:
    """The resident's own applications, newest first."""
    if user is None or not user.is_authenticated:
        return Application.objects.none()
    return _base().filter(applicant=user).order_by("-created_at", "-id")


def _by_ref(qs: QuerySet[Application], ref: str) -> Application:
    ref = (ref or "").strip()
    if ref.upper().startswith("HJ"):
        found = qs.filter(number=ref.upper()).first()
    else:
        try:
            found = qs.filter(public_id=uuid.UUID(ref)).first()
        except ValueError:
            found = None
    if found is None:
        raise Http404("application")
    return found


def application_for_resident(*, user, number: str) -> Application:
    """One of the resident's applications by number (or a draft's public id)."""
    return _by_ref(applications_for_resident(user=user), number)


def due_soon_limit(today: datetime.date | None = None) -> datetime.date:
    """Due on or before this date counts as "due soon" (within the reminder
    window of working days)."""
    from huji.workdays.services import add_working_days

    today = today or timezone.localdate()
    return add_working_days(today, REMIND_DAYS_BEFORE).date


def staff_applications(*, user) -> QuerySet[Application]:
    """Everything the staff member may see (not drafts: those are the
    resident's own)."""
    qs = _base().exclude(state=State.DRAFT)
    return scope_queryset(user, qs, organisation_field="handling_organisation")


def _states_for_role(user) -> set[str]:
    if user.role == StaffRole.DISTRICT_APPROVER:
        return {State.AWAITING_DISTRICT}
    if user.role == StaffRole.CITY_APPROVER:
        return {State.AWAITING_CITY}
    return {
        State.SUBMITTED,
        State.RESUBMITTED,
        State.UNDER_REVIEW,
        State.PRE_APPROVED,
        State.VISIT_BOOKED,
    }


def application_queue(
    *,
    user,
    item: str | None = None,
    state: str | None = None,
    due: str | None = None,
    q: str | None = None,
    mine: bool = False,
) -> QuerySet[Application]:
    """The work queue: the user's jurisdiction, by default the states their role
    works on; overdue and due soonest first, then oldest submitted."""
    qs = staff_applications(user=user)
    if state:
        qs = qs.filter(state=state)
    else:
        qs = qs.filter(state__in=_states_for_role(user))
    if item:
        qs = qs.filter(item__code=item)
    today = timezone.localdate()
    if due == "overdue":
        qs = qs.filter(due_on__lt=today, state__in=CLOCKED_STATES)
    elif due == "soon":
        qs = qs.filter(
            due_on__gte=today,
            due_on__lte=due_soon_limit(today),
            state__in=CLOCKED_STATES,
        )
    if mine:
        qs = qs.filter(assigned_to=user)
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(number__iexact=q)
            | Q(applicant_person__name__icontains=q)
            | Q(applicant__mobile=q)
            | Q(applicant_person__id_number=q.upper())
        )
    # The list needs names and dates, not the (large) form definitions and answers.
    return qs.defer(
        "answers", "item_version__definition", "item__draft_definition"
    ).order_by("due_on", "submitted_at", "id")


def queue_counts(*, user) -> dict[str, int]:
    """Applications per state in the user's scope (open states only)."""
    rows = (
        staff_applications(user=user)
        .filter(
            state__in=_states_for_role(user)
            | APPROVAL_STATES
            | {State.CORRECTION_REQUESTED}
        )
        .values("state")
        .annotate(n=Count("id"))
    )
    counts = {row["state"]: row["n"] for row in rows}
    today = timezone.localdate()
    clocked = staff_applications(user=user).filter(
        state__in=_states_for_role(user) & CLOCKED_STATES
    )
    counts["overdue"] = clocked.filter(due_on__lt=today).count()
    counts["soon"] = clocked.filter(
        due_on__gte=today, due_on__lte=due_soon_limit(today)
    ).count()
    return counts


def application_for_staff(*, user, number: str, request=None) -> Application:
    """One application in the user's scope (404 otherwise); the read is audited."""
    application = _by_ref(staff_applications(user=user), number)
    audit_record(
        actor=user, action="read:application", obj=application, request=request
    )
    return application


def deadline_flag(application: Application, today=None) -> str:
    """``overdue``, ``soon`` or ``""`` for a running deadline."""
    if application.due_on is None or application.state not in CLOCKED_STATES:
        return ""
    today = today or timezone.localdate()
    if application.due_on < today:
        return "overdue"
    if application.due_on <= due_soon_limit(today):
        return "soon"
    return ""


@dataclass
class TimelineEntry:
    at: datetime.datetime
    action: str
    action_label: str
    from_state: str
    to_state: str
    to_label: str
    role: str
    role_label: str
    reason: str
    details: dict


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    state: str
    state_label: str
    next_step: str
    due_on: datetime.date | None
    visit_due_on: datetime.date | None
    stages: list[dict]


def _role_label(role: str) -> str:
    from huji.workflow.engine import APPLICANT, SYSTEM

    if role == APPLICANT:
        return "申请人"
    if role == SYSTEM:
        return "系统"
    try:
        return str(StaffRole(role).label)
    except ValueError:
        return role


def _stage_label(stage: str) -> str:
    from huji.applications.constants import Stage

    return str(Stage(stage).label) if stage in Stage.values else stage


def application_timeline(*, application: Application) -> Timeline:
    """The application's history (by role, never by officer name), the next step
    for the resident and the expected dates."""
    steps = Transition.objects.filter(
        process=PROCESS.name, record_id=application.pk
    ).order_by("at", "id")
    entries = [
        TimelineEntry(
            at=step.at,
            action=step.action,
            action_label=PROCESS.action_label(step.action),
            from_state=step.from_state,
            to_state=step.to_state,
            to_label=PROCESS.state_label(step.to_state),
            role=step.actor_role,
            role_label=_role_label(step.actor_role),
            reason=step.reason,
            details=step.details,
        )
        for step in steps
    ]
    stages = [
        {
            "stage": clock.stage,
            "stage_label": _stage_label(clock.stage),
            "started_on": clock.started_on,
            "due_on": clock.due_on,
            "paused": clock.paused_on is not None,
            "finished_at": clock.finished_at,
            "on_time": clock.on_time,
        }
        for clock in StageClock.objects.filter(
            process=PROCESS.name, record_id=application.pk
        ).order_by("id")
    ]
    return Timeline(
        entries=entries,
        state=application.state,
        state_label=PROCESS.state_label(application.state),
        next_step=str(NEXT_STEP.get(application.state, "")),
        due_on=application.due_on,
        visit_due_on=application.visit_due_on,
        stages=stages,
    )


def application_progress_public(*, number: str, id_last4: str) -> dict | None:
    """Public progress query: the state and stage dates, nothing personal. Needs
    the last four characters of the applicant's ID number; ``None`` if either
    does not match (the same answer for both, so numbers cannot be probed)."""
    number = (number or "").strip().upper()
    id_last4 = (id_last4 or "").strip().upper()
    if not number.startswith("HJ") or len(id_last4) != 4:
        return None
    application = (
        Application.objects.select_related(
            "item_version", "applicant_person", "handling_organisation"
        )
        .filter(number=number)
        .first()
    )
    if application is None:
        return None
    id_number = (application.applicant_person.id_number or "").upper()
    if not id_number.endswith(id_last4):
        return None
    timeline = application_timeline(application=application)
    return {
        "number": application.number,
        "item": application.item_version.name,
        "state": application.state,
        "state_label": timeline.state_label,
        "next_step": timeline.next_step,
        "submitted_on": timezone.localdate(application.submitted_at)
        if application.submitted_at
        else None,
        "due_on": application.due_on,
        "visit_due_on": application.visit_due_on,
        "station": application.handling_organisation.name
        if application.handling_organisation
        else "",
        "steps": [
            {"at": e.at, "label": e.action_label, "state_label": e.to_label}
            for e in timeline.entries
        ],
    }


def allowed_actions(*, application: Application, user) -> list[str]:
    """The actions ``user`` may take on ``application`` now (what the page shows)."""
    role = actor_role(user)
    actions = [rule.action for rule in PROCESS.actions_from(application.state, role)]
    if application.state == State.UNDER_REVIEW:
        if application.assigned_to_id != user.pk:
            actions = [
                a for a in actions if a == "release" and role == StaffRole.STATION_HEAD
            ]
        else:
            actions.append("verdict")
            if application.item_version.route == "outside_approval":
                actions.append("outside_approval")
            from huji.applications.services import police_route

            route = police_route(application)
            if route in ("station_district", "station_district_city"):
                actions = [a for a in actions if a != "pre_approve"]
            else:
                actions = [a for a in actions if a != "forward"]
    if application.state == State.AWAITING_DISTRICT:
        from huji.applications.services import police_route

        route_city = police_route(application) == "station_district_city"
        actions = [
            a for a in actions if a != ("approve" if route_city else "approve_forward")
        ]
    return actions


def statistics(*, user, start: datetime.date, end: datetime.date) -> dict:
    """Counts for a period (by submission date) in the user's scope: per item,
    per district and overall (submitted, pre-approved, settled, refused, on time),
    and the pilot figure: people settled into a community public collective
    household (applicant plus accompanying family members)."""
    qs = staff_applications(user=user).filter(
        submitted_at__date__gte=start, submitted_at__date__lte=end
    )
    pre_states = [
        State.PRE_APPROVED,
        State.VISIT_BOOKED,
        State.COMPLETED,
        State.REFUSED_AT_WINDOW,
        State.CLOSED_NO_VISIT,
    ]
    refused_states = [State.REFUSED, State.REFUSED_AT_WINDOW]
    on_time_ids = StageClock.objects.filter(
        process=PROCESS.name, finished_at__isnull=False
    )
    aggregates = {
        "submitted": Count("id"),
        "pre_approved": Count("id", filter=Q(state__in=pre_states)),
        "settled": Count("id", filter=Q(state=State.COMPLETED)),
        "refused": Count("id", filter=Q(state__in=refused_states)),
    }

    def rows(group: list[str]) -> list[dict]:
        return list(qs.values(*group).annotate(**aggregates).order_by(*group))

    totals = qs.aggregate(**aggregates)
    pilot = qs.filter(state=State.COMPLETED, destination_collective=True).aggregate(
        applications=Count("id"), people=Sum("persons_count")
    )
    late_ids = set(
        on_time_ids.filter(on_time=False, record_id__in=qs.values("pk")).values_list(
            "record_id", flat=True
        )
    )
    decided = qs.filter(decided_at__isnull=False)
    totals["decided"] = decided.count()
    totals["on_time"] = decided.exclude(pk__in=late_ids).count()
    return {
        "start": start,
        "end": end,
        "totals": totals,
        "by_item": rows(["item__code", "item_version__name"]),
        "by_district": rows(
            [
                "handling_organisation__district__code",
                "handling_organisation__district__name",
            ]
        ),
        "pilot": {
            "applications": pilot["applications"] or 0,
            "people": pilot["people"] or 0,
        },
    }


def clocks_for(application: Application):
    return clocks.clocks_open(process=PROCESS, record_id=application.pk)
