"""Reads of residence records, already scoped to what the reader may see.

Center clerks see residence records city-wide (全市通办); card production only the
applications routed to its organisation (and never more than the card needs);
couriers only their organisation's deliveries: name, address, phone.
A record out of scope raises ``DoesNotExist`` exactly like a missing one.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from huji.organizations.permissions import scope_queryset
from huji.residence import rules
from huji.residence.constants import (
    PERMIT_PROCESS,
    REGISTRATION_PROCESS,
    DeliveryState,
    PermitApplicationState,
    RegistrationState,
)
from huji.residence.models import (
    CardBatch,
    CashReconciliation,
    Delivery,
    Permit,
    PermitApplication,
    ResidenceRegistration,
)
from huji.workflow.engine import history

RESIDENCE = "residence"


def _today() -> datetime.date:
    return timezone.localdate()


# ------------------------------------------------------------- residents


def registrations_of_person(*, person) -> QuerySet[ResidenceRegistration]:
    return ResidenceRegistration.objects.filter(person=person).select_related(
        "handling_organisation", "police_station", "certificate"
    )


def registration_of_person(*, person, number: str) -> ResidenceRegistration:
    return registrations_of_person(person=person).get(number=number)


def applications_of_person(*, person) -> QuerySet[PermitApplication]:
    return PermitApplication.objects.filter(person=person).select_related(
        "handling_organisation", "pickup_center", "permit"
    )


def application_of_person(*, person, number: str) -> PermitApplication:
    return applications_of_person(person=person).get(number=number)


@dataclass(frozen=True)
class PermitView:
    permit: Permit
    state: str
    state_label: str
    valid_until: datetime.date | None
    window_opens: datetime.date | None
    grace_ends: datetime.date | None


def permit_view(permit: Permit, *, on: datetime.date | None = None) -> PermitView:
    from huji.residence.constants import PermitState

    on = on or _today()
    state, valid_until = rules.permit_state(list(permit.events.all()), on)
    check = (
        rules.endorsement_check(valid_until=valid_until, today=on)
        if valid_until
        else None
    )
    return PermitView(
        permit=permit,
        state=state,
        state_label=str(PermitState(state).label),
        valid_until=valid_until,
        window_opens=check.window_opens if check else None,
        grace_ends=check.grace_ends if check else None,
    )


def permits_of_person(*, person) -> list[PermitView]:
    permits = (
        Permit.objects.filter(person=person)
        .select_related("certificate")
        .prefetch_related("events")
        .order_by("-issued_on", "-id")[:10]
    )
    return [permit_view(p) for p in permits]


def timeline(*, process, record_id: int):
    """The record's transitions with their state and action labels."""
    steps = list(history(process=process, record_id=record_id))
    for step in steps:
        step.to_state_label = process.state_label(step.to_state)
        step.action_label = process.action_label(step.action)
    return steps


def registration_timeline(registration):
    return timeline(process=REGISTRATION_PROCESS, record_id=registration.pk)


def application_timeline(application):
    return timeline(process=PERMIT_PROCESS, record_id=application.pk)


# ----------------------------------------------------------------- staff


def registrations_for_staff(*, user) -> QuerySet[ResidenceRegistration]:
    return scope_queryset(
        user,
        ResidenceRegistration.objects.select_related(
            "person", "handling_organisation", "police_station"
        ),
        domain=RESIDENCE,
    )


def registration_queue(*, user, state: str = RegistrationState.SUBMITTED):
    """Open registrations, overdue first then by due date."""
    return (
        registrations_for_staff(user=user).filter(state=state).order_by("due_on", "id")
    )


def applications_for_clerk(*, user) -> QuerySet[PermitApplication]:
    return scope_queryset(
        user,
        PermitApplication.objects.select_related(
            "person", "handling_organisation", "pickup_center", "permit"
        ),
        domain=RESIDENCE,
    )


def application_queue(*, user):
    """Applications waiting for a clerk: to accept, to review, to hand over."""
    return (
        applications_for_clerk(user=user)
        .filter(
            state__in=[
                PermitApplicationState.SUBMITTED,
                PermitApplicationState.ACCEPTED,
                PermitApplicationState.READY_FOR_PICKUP,
            ]
        )
        .order_by("review_due_on", "submitted_at", "id")
    )


def queue_counts(*, user) -> dict:
    today = _today()
    regs = registrations_for_staff(user=user).filter(state=RegistrationState.SUBMITTED)
    apps = applications_for_clerk(user=user)
    return {
        "registrations": regs.count(),
        "registrations_overdue": regs.filter(due_on__lt=today).count(),
        "to_accept": apps.filter(state=PermitApplicationState.SUBMITTED).count(),
        "to_review": apps.filter(state=PermitApplicationState.ACCEPTED).count(),
        "review_overdue": apps.filter(
            state=PermitApplicationState.ACCEPTED, review_due_on__lt=today
        ).count(),
        "to_hand_over": apps.filter(
            state=PermitApplicationState.READY_FOR_PICKUP
        ).count(),
    }


def production_queue(*, user) -> QuerySet[PermitApplication]:
    """Approved applications of the user's production centre without a batch.

    Only the fields a card needs are loaded: no ID number on these pages."""
    return (
        scope_queryset(
            user,
            PermitApplication.objects.all(),
            organisation_field="production_organisation",
            domain=RESIDENCE,
        )
        .filter(state=PermitApplicationState.IN_PRODUCTION, batch__isnull=True)
        .select_related("person")
        .only(
            "number",
            "kind",
            "handover",
            "production_due_on",
            "approved_on",
            "person__name",
        )
        .order_by("production_due_on", "id")
    )


def batches_for_staff(*, user) -> QuerySet[CardBatch]:
    return scope_queryset(
        user,
        CardBatch.objects.annotate(size=Count("applications")),
        organisation_field="organisation",
        domain=RESIDENCE,
    ).order_by("-created_at", "-id")


def batch_for_staff(*, user, number: str) -> CardBatch:
    return batches_for_staff(user=user).get(number=number)


def batch_cards(batch: CardBatch):
    return (
        batch.applications.select_related("person", "card", "pickup_center")
        .only(
            "number",
            "kind",
            "handover",
            "state",
            "production_due_on",
            "person__name",
            "pickup_center__name",
            "card__card_number",
            "card__issued_on",
            "card__valid_until",
        )
        .order_by("id")
    )


DELIVERY_FIELDS = (
    "state",
    "recipient_name",
    "address",
    "phone",
    "fee_yuan",
    "due_on",
    "attempts",
    "agreed_time",
    "called_at",
    "delivered_at",
    "delivered_on",
    "cash_collected_yuan",
    "failure_reason",
    "organisation_id",
    "courier_id",
    "application__number",
)


def deliveries_for_courier(*, user, state: str = "") -> QuerySet[Delivery]:
    """A courier's organisation's deliveries: address and phone, never the ID."""
    qs = (
        scope_queryset(
            user,
            Delivery.objects.all(),
            organisation_field="organisation",
            domain=RESIDENCE,
        )
        .select_related("application")
        .only(*DELIVERY_FIELDS)
    )
    if state:
        qs = qs.filter(state=state)
    else:
        qs = qs.filter(
            state__in=[
                DeliveryState.PENDING,
                DeliveryState.SCHEDULED,
                DeliveryState.FAILED,
            ]
        )
    return qs.order_by("due_on", "id")


def delivery_for_courier(*, user, pk: int) -> Delivery:
    return (
        scope_queryset(
            user,
            Delivery.objects.all(),
            organisation_field="organisation",
            domain=RESIDENCE,
        )
        .select_related("application")
        .only(*DELIVERY_FIELDS)
        .get(pk=pk)
    )


@dataclass(frozen=True)
class CashRow:
    courier_id: int
    courier_name: str
    day: datetime.date
    deliveries: int
    expected_yuan: int
    received_yuan: int | None

    @property
    def difference_yuan(self) -> int | None:
        if self.received_yuan is None:
            return None
        return self.received_yuan - self.expected_yuan


def cash_by_courier(*, user, day: datetime.date) -> list[CashRow]:
    """Per courier, for one day: deliveries, cash the records say, cash handed
    over (if reconciled)."""
    rows = (
        scope_queryset(
            user,
            Delivery.objects.all(),
            organisation_field="organisation",
            domain=RESIDENCE,
        )
        .filter(delivered_on=day, state=DeliveryState.DELIVERED)
        .values(
            "courier_id",
            "courier__username",
            "courier__last_name",
            "courier__first_name",
        )
        .annotate(n=Count("id"), cash=Sum("cash_collected_yuan"))
        .order_by("courier__username")
    )
    done = {
        r.courier_id: r
        for r in CashReconciliation.objects.filter(
            day=day, courier_id__in=[row["courier_id"] for row in rows]
        )
    }
    result = []
    for row in rows:
        name = (
            f"{row['courier__last_name']}{row['courier__first_name']}".strip()
            or row["courier__username"]
        )
        rec = done.get(row["courier_id"])
        result.append(
            CashRow(
                courier_id=row["courier_id"],
                courier_name=name,
                day=day,
                deliveries=row["n"],
                expected_yuan=row["cash"] or 0,
                received_yuan=rec.received_yuan if rec else None,
            )
        )
    return result


def permit_for_counter(*, person) -> Permit | None:
    """The permit a clerk serves at the counter for ``person`` (the latest one
    that is not replaced or cancelled)."""
    from huji.residence.services import active_permit

    return active_permit(person)
