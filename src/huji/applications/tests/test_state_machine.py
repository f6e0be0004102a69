"""Random sequences of resident, officer, approver and system actions, with the
workflow invariants checked after every step (hypothesis stateful testing)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from huji.accounts.tests.factories import ResidentFactory
from huji.applications import services
from huji.applications.constants import (
    CLOCKED_STATES,
    FINAL_STATES,
    PROCESS,
    State,
    Verdict,
)
from huji.applications.models import Application
from huji.applications.tests import factories as f
from huji.workflow.engine import TransitionRefused
from huji.workflow.models import StageClock, Transition

REFUSALS = (TransitionRefused, PermissionDenied, ValidationError)
ROUTES = ["station", "station_district", "station_district_city", "outside_approval"]


def test_random_action_sequences_keep_the_workflow_invariants(world):
    reached: set[str] = set()

    class Machine(RuleBasedStateMachine):
        @initialize(route=st.sampled_from(ROUTES))
        def start(self, route):
            self.resident = ResidentFactory()
            self.app = f.draft(
                world, f.make_version(route=route), resident=self.resident
            )
            self.final_state = None

        # ---- helpers
        def do(self, call):
            before_state = Application.objects.get(pk=self.app.pk).state
            before_steps = self.steps().count()
            try:
                call(self.app)
            except REFUSALS:
                self.app.refresh_from_db()
                assert self.app.state == before_state
                assert self.steps().count() == before_steps
            self.app.refresh_from_db()

        def steps(self):
            return Transition.objects.filter(
                process=PROCESS.name, record_id=self.app.pk
            )

        # ---- the usual next step by the right person (keeps runs going deep)
        def next_step(self):
            a = self.app
            if a.state == State.DRAFT:
                self.submit()
            elif a.state in (State.SUBMITTED, State.RESUBMITTED):
                self.claim(False)
            elif a.state == State.UNDER_REVIEW and not a.corrections.exists():
                # The usual first review asks for a correction once.
                self.return_for_correction(True)
            elif a.state == State.UNDER_REVIEW:
                self.accept_every_material()
                self.decide()
            elif a.state == State.CORRECTION_REQUESTED:
                self.fix_and_resubmit()
            elif a.state in (State.AWAITING_DISTRICT, State.AWAITING_CITY):
                self.approve(a.state == State.AWAITING_CITY)
            elif a.state == State.PRE_APPROVED:
                self.visit(False)
            elif a.state == State.VISIT_BOOKED:
                self.window(True)

        @rule()
        def usual_next_step(self):
            self.next_step()

        @rule()
        def usual_next_step_again(self):
            self.next_step()

        @rule()
        def usual_next_step_once_more(self):
            self.next_step()

        # ---- resident
        @rule()
        def submit(self):
            self.do(
                lambda a: services.application_submit(
                    application=a, actor=self.resident
                )
            )

        @rule()
        def withdraw(self):
            self.do(
                lambda a: services.application_withdraw(
                    application=a, actor=self.resident
                )
            )

        @rule()
        def fix_and_resubmit(self):
            def call(a):
                if a.state == State.CORRECTION_REQUESTED:
                    for slot in a.slots.filter(verdict=Verdict.REJECTED):
                        services.application_material_add(
                            application=a,
                            slot_key=slot.slot_key,
                            upload=f.make_upload(self.resident),
                            actor=self.resident,
                        )
                services.application_resubmit(application=a, actor=self.resident)

            self.do(call)

        @rule(cancel=st.booleans())
        def visit(self, cancel):
            if cancel:
                self.do(
                    lambda a: services.application_visit_cancelled(
                        application=a, actor=self.resident
                    )
                )
            else:
                self.do(
                    lambda a: services.application_visit_booked(
                        application=a, actor=self.resident, booking_id=1
                    )
                )

        # ---- station
        @rule(second=st.booleans())
        def claim(self, second):
            officer = world.officer2 if second else world.officer
            self.do(
                lambda a: services.application_claim(application=a, officer=officer)
            )

        @rule(second=st.booleans())
        def release(self, second):
            officer = world.officer2 if second else world.officer
            self.do(
                lambda a: services.application_release(application=a, officer=officer)
            )

        @rule(accept=st.booleans(), slot=st.sampled_from(["id_card", "hukou_book"]))
        def verdict(self, accept, slot):
            def call(a):
                services.material_verdict_set(
                    application=a,
                    slot_key=slot,
                    verdict="accepted" if accept else "rejected",
                    reason_code="" if accept else "unclear",
                    officer=a.assigned_to or world.officer,
                )

            self.do(call)

        @rule()
        def accept_every_material(self):
            self.do(lambda a: f.accept_all(a, a.assigned_to or world.officer))

        @rule(name_a_field=st.booleans())
        def return_for_correction(self, name_a_field):
            # Without items, the rejected materials are what must be fixed.
            items = (
                [{"field": "reason", "reason_text": "请写清楚"}] if name_a_field else []
            )
            self.do(
                lambda a: services.application_return_for_correction(
                    application=a, officer=a.assigned_to or world.officer, items=items
                )
            )

        @rule()
        def decide(self):
            def call(a):
                officer = a.assigned_to or world.officer
                if a.item_version.route == "outside_approval":
                    services.application_outside_approval_record(
                        application=a,
                        officer=officer,
                        authority="市人保局",
                        document_number="1",
                        issued_on=datetime.date(2025, 1, 1),
                    )
                if services.police_route(a) == "station":
                    services.application_pre_approve(application=a, officer=officer)
                else:
                    services.application_forward(application=a, officer=officer)

            self.do(call)

        @rule(by_approver=st.booleans())
        def refuse(self, by_approver):
            def call(a):
                officer = a.assigned_to or world.officer
                if by_approver:
                    officer = (
                        world.city_approver
                        if a.state == State.AWAITING_CITY
                        else world.district_approver
                    )
                services.application_refuse(
                    application=a,
                    officer=officer,
                    reasons=["other"],
                    policy_basis="依据",
                )

            self.do(call)

        # ---- approvers
        @rule(city=st.booleans())
        def approve(self, city):
            approver = world.city_approver if city else world.district_approver
            self.do(
                lambda a: services.application_approve(application=a, approver=approver)
            )

        @rule(city=st.booleans())
        def send_back(self, city):
            approver = world.city_approver if city else world.district_approver
            self.do(
                lambda a: services.application_send_back(
                    application=a, approver=approver, reason="请核实"
                )
            )

        # ---- window and system
        @rule(ok=st.booleans())
        def window(self, ok):
            if ok:
                self.do(
                    lambda a: services.application_complete(
                        application=a,
                        officer=world.officer2,
                        originals_checked=["居民身份证"],
                        issued={},
                    )
                )
            else:
                self.do(
                    lambda a: services.application_refuse_at_window(
                        application=a, officer=world.officer2, reasons=["不一致"]
                    )
                )

        @rule(dice=st.integers(0, 2))
        def expire(self, dice):
            if dice:
                return

            def call(a):
                Application.objects.filter(pk=a.pk, visit_due_on__isnull=False).update(
                    visit_due_on=datetime.date(2000, 1, 1)
                )
                a.refresh_from_db()
                services.application_close_no_visit(application=a)

            self.do(call)

        # ---- invariants
        @invariant()
        def history_is_a_chain_of_allowed_steps(self):
            state = State.DRAFT
            for step in self.steps().order_by("id"):
                assert step.from_state == state
                allowed = PROCESS.rule(step.from_state, step.action)
                assert allowed is not None and allowed.target == step.to_state
                assert step.actor_role in allowed.roles
                state = step.to_state
            assert self.app.state == state

        @invariant()
        def final_states_are_final(self):
            reached.add(self.app.state)
            if self.final_state is not None:
                assert self.app.state == self.final_state
            if self.app.state in FINAL_STATES:
                self.final_state = self.app.state

        @invariant()
        def one_holder_only_while_under_review(self):
            if self.app.state == State.UNDER_REVIEW:
                assert self.app.assigned_to_id is not None
            if self.app.state in (
                State.SUBMITTED,
                State.RESUBMITTED,
                State.CORRECTION_REQUESTED,
            ):
                assert self.app.assigned_to_id is None

        @invariant()
        def the_deadline_runs_only_while_staff_hold_the_file(self):
            open_clocks = list(
                StageClock.objects.filter(
                    process=PROCESS.name, record_id=self.app.pk, finished_at=None
                )
            )
            assert len(open_clocks) <= 1
            if self.app.state in CLOCKED_STATES:
                assert open_clocks and open_clocks[0].paused_on is None
                assert self.app.due_on == open_clocks[0].due_on
            elif self.app.state == State.CORRECTION_REQUESTED:
                assert open_clocks and open_clocks[0].paused_on is not None
                assert self.app.due_on is None
            else:
                assert not open_clocks and self.app.due_on is None

        @invariant()
        def pre_approval_needs_every_required_material_accepted(self):
            if self.app.state in (
                State.PRE_APPROVED,
                State.VISIT_BOOKED,
                State.COMPLETED,
            ):
                assert (
                    not self.app.slots.filter(required=True)
                    .exclude(verdict=Verdict.ACCEPTED)
                    .exists()
                )

        @invariant()
        def approvers_never_reviewed(self):
            station = set(
                self.steps()
                .filter(actor_role__in=["station_officer", "station_head"])
                .values_list("actor_id", flat=True)
            )
            approvers = set(
                self.steps()
                .filter(action__in=["approve", "approve_forward"])
                .values_list("actor_id", flat=True)
            )
            assert not station & approvers

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=30, stateful_step_count=20, deadline=None, derandomize=True
        ),
    )
    # The run explored the workflow, not only refusals at the draft.
    print(sorted(reached))
    assert {
        State.SUBMITTED,
        State.UNDER_REVIEW,
        State.CORRECTION_REQUESTED,
        State.PRE_APPROVED,
    } <= reached
