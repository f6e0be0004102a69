"""Every service: the allowed transition with its history and audit rows, and the
refusals (wrong state, wrong person, missing reason)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huji.applications import services
from huji.applications.constants import State
from huji.applications.models import Application, CorrectionRequest
from huji.applications.tests import factories as f
from huji.audit.models import AuditEvent
from huji.notifications.models import Message
from huji.workflow.engine import TransitionRefused
from huji.workflow.models import StageClock, Transition


def last_step(application):
    return Transition.objects.filter(
        process="household", record_id=application.pk
    ).latest("id")


def audited(application, action):
    return AuditEvent.objects.filter(
        object_type="applications.application",
        object_id=str(application.pk),
        action=action,
    ).exists()


# ----------------------------------------------------------------- resident


def test_start_creates_a_draft_with_the_material_slots(world):
    version = f.make_version()
    application = services.application_start(applicant=world.resident, version=version)
    assert application.state == State.DRAFT and application.number is None
    assert {s.slot_key for s in application.slots.all()} == {"id_card", "hukou_book"}
    assert audited(application, "application:start")


def test_start_refuses_a_second_open_application_for_the_same_item(world):
    version = f.make_version()
    first = services.application_start(applicant=world.resident, version=version)
    with pytest.raises(services.ApplicationExists) as exc:
        services.application_start(applicant=world.resident, version=version)
    assert exc.value.application == first


def test_start_needs_real_name(world):
    from huji.accounts.tests.factories import ResidentFactory

    anonymous = ResidentFactory(person=None)
    with pytest.raises(PermissionDenied):
        services.application_start(applicant=anonymous, version=f.make_version())


def test_answers_are_saved_even_when_invalid(world):
    application = services.application_start(
        applicant=world.resident, version=f.make_version()
    )
    errors = services.application_answers_save(
        application=application, answers={"reason": "x"}, actor=world.resident
    )
    application.refresh_from_db()
    assert application.answers == {"reason": "x"}
    assert "destination_address" in errors
    with pytest.raises(PermissionDenied):
        services.application_answers_save(
            application=application, answers={}, actor=world.other_resident
        )


def test_family_members_add_slots_per_member_when_the_item_says_so(world):
    version = f.make_version()
    version.definition["materials"] = [
        *f.MATERIALS,
        {
            "code": "member_id",
            "name": "家属身份证",
            "kind": "id_card",
            "required": True,
            "per_family_member": True,
        },
    ]
    type(version).objects.filter(pk=version.pk).update(definition=version.definition)
    version.refresh_from_db()
    application = services.application_start(applicant=world.resident, version=version)
    services.application_answers_save(
        application=application,
        answers=f.answers(world.street, family=2),
        actor=world.resident,
    )
    keys = set(application.slots.values_list("slot_key", flat=True))
    assert {"member_id.0", "member_id.1"} <= keys
    services.application_answers_save(
        application=application, answers={"family_members": []}, actor=world.resident
    )
    keys = set(application.slots.values_list("slot_key", flat=True))
    assert "member_id.0" not in keys


def test_material_add_and_remove(world):
    application = services.application_start(
        applicant=world.resident, version=f.make_version()
    )
    upload = f.make_upload(world.resident)
    page = services.application_material_add(
        application=application,
        slot_key="id_card",
        upload=upload,
        actor=world.resident,
    )
    assert page.slot.slot_key == "id_card" and page.order == 1
    assert audited(application, "application:material_add")
    with pytest.raises(PermissionDenied):
        services.application_material_add(
            application=application,
            slot_key="id_card",
            upload=f.make_upload(world.other_resident),
            actor=world.resident,
        )
    with pytest.raises(ValidationError):
        services.application_material_add(
            application=application,
            slot_key="nope",
            upload=f.make_upload(world.resident),
            actor=world.resident,
        )
    services.application_material_remove(
        application=application, page=page, actor=world.resident
    )
    assert not application.slots.get(slot_key="id_card").pages.exists()
    assert audited(application, "application:material_remove")


def test_submit_checks_completeness(world):
    application = services.application_start(
        applicant=world.resident, version=f.make_version()
    )
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=application, actor=world.resident)
    assert "materials.id_card" in exc.value.message_dict
    assert "destination_address" in exc.value.message_dict
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_submit_numbers_routes_and_starts_the_review_clock(world, on_commit):
    application = f.draft(world, family=2, collective=True)
    with on_commit(execute=True):
        services.application_submit(application=application, actor=world.resident)
    application.refresh_from_db()
    today = datetime.date.today()
    assert application.number.startswith(f"HJ{today:%Y%m%d}")
    assert len(application.number) == 16
    assert application.state == State.SUBMITTED
    assert application.handling_organisation == world.station
    assert application.persons_count == 3 and application.destination_collective
    assert application.subjects.count() == 2
    assert application.due_on is not None
    clock = StageClock.objects.get(record_id=application.pk, process="household")
    assert clock.stage == "review" and clock.due_on == application.due_on
    step = last_step(application)
    assert (step.from_state, step.to_state, step.actor_role) == (
        "draft",
        "submitted",
        "applicant",
    )
    assert audited(application, "household:submit")
    assert Message.objects.filter(
        recipient=world.resident, event="application_submitted"
    ).exists()
    # The uploads now belong to the station's jurisdiction.
    page = application.slots.first().pages.first()
    page.upload.refresh_from_db()
    assert page.upload.organisation == world.station
    with pytest.raises(TransitionRefused):
        services.application_submit(application=application, actor=world.resident)


def test_numbers_follow_each_other_per_day(world):
    a = f.submitted(world)
    b = f.submitted(world, resident=world.other_resident)
    assert int(b.number[-6:]) == int(a.number[-6:]) + 1


def test_withdraw(world):
    application = f.submitted(world)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(
            application=application, actor=world.other_resident
        )
    services.application_withdraw(
        application=application, actor=world.resident, reason="不办了"
    )
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN and application.due_on is None
    assert last_step(application).reason == "不办了"
    assert audited(application, "household:withdraw")
    with pytest.raises(TransitionRefused):
        services.application_withdraw(application=application, actor=world.resident)
    # Withdrawn is final: a new application for the same item is allowed.
    services.application_start(
        applicant=world.resident, version=application.item_version
    )


# ------------------------------------------------------------------ station


def test_claim_and_release(world):
    application = f.submitted(world)
    services.application_claim(application=application, officer=world.officer)
    application.refresh_from_db()
    assert application.state == State.UNDER_REVIEW
    assert application.assigned_to == world.officer
    assert audited(application, "household:claim")
    with pytest.raises(TransitionRefused):
        services.application_claim(application=application, officer=world.officer2)
    with pytest.raises(TransitionRefused):
        services.application_release(application=application, officer=world.officer2)
    services.application_release(application=application, officer=world.officer)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.assigned_to is None


def test_station_head_may_release_someone_elses_file(world):
    application = f.under_review(world)
    services.application_release(application=application, officer=world.head)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_claim_outside_jurisdiction_is_refused(world):
    application = f.submitted(world)
    with pytest.raises(PermissionDenied):
        services.application_claim(application=application, officer=world.other_officer)


def test_verdicts(world):
    application = f.under_review(world)
    slot = services.material_verdict_set(
        application=application,
        slot_key="id_card",
        verdict="rejected",
        reason_code="unclear",
        reason_text="反光",
        officer=world.officer,
    )
    assert (slot.verdict, slot.reason_code, slot.reviewed_by) == (
        "rejected",
        "unclear",
        world.officer,
    )
    assert audited(application, "application:material_verdict")
    with pytest.raises(ValidationError):
        services.material_verdict_set(
            application=application,
            slot_key="id_card",
            verdict="rejected",
            officer=world.officer,
        )
    with pytest.raises(ValidationError):
        services.material_verdict_set(
            application=application,
            slot_key="id_card",
            verdict="rejected",
            reason_code="other",
            officer=world.officer,
        )
    with pytest.raises(TransitionRefused):
        services.material_verdict_set(
            application=application,
            slot_key="id_card",
            verdict="accepted",
            officer=world.officer2,
        )


def test_return_for_correction_pauses_the_clock_and_resubmit_resumes_it(
    world, on_commit
):
    application = f.under_review(world)
    services.material_verdict_set(
        application=application,
        slot_key="id_card",
        verdict="rejected",
        reason_code="unclear",
        officer=world.officer,
    )
    with pytest.raises(ValidationError):
        services.application_return_for_correction(
            application=application,
            officer=world.officer,
            items=[{"slot": "nope", "reason_text": "x"}],
        )
    with on_commit(execute=True):
        correction = services.application_return_for_correction(
            application=application,
            officer=world.officer,
            items=[{"field": "reason", "reason_text": "请写清楚"}],
            note="",
        )
    application.refresh_from_db()
    assert application.state == State.CORRECTION_REQUESTED
    assert application.due_on is None and application.assigned_to is None
    assert correction.items[0]["field"] == "reason"
    # The material rejected before is part of the request too.
    assert [i.get("slot") for i in correction.items] == [None, "id_card"]
    assert "请写清楚" in last_step(application).reason
    clock = StageClock.objects.get(record_id=application.pk, process="household")
    assert clock.paused_on is not None
    message = Message.objects.get(
        recipient=world.resident, event="application_correction_requested"
    )
    assert "请写清楚" in message.body
    # The resident fixes and resubmits.
    services.application_answers_save(
        application=application,
        answers={"reason": "工作调动（人才引进）"},
        actor=world.resident,
    )
    services.application_resubmit(application=application, actor=world.resident)
    application.refresh_from_db()
    clock.refresh_from_db()
    assert application.state == State.RESUBMITTED
    assert clock.paused_on is None and application.due_on == clock.due_on
    assert CorrectionRequest.objects.get(pk=correction.pk).resolved_at is not None
    assert audited(application, "household:resubmit")
    with pytest.raises(TransitionRefused):
        services.application_resubmit(application=application, actor=world.resident)


def test_return_without_items_uses_the_rejected_materials(world):
    application = f.correction_requested(world)
    correction = application.corrections.get()
    assert correction.items[0]["slot"] == "id_card"
    assert correction.items[0]["reason_code"] == "unclear"


def test_return_needs_something_to_fix(world):
    application = f.under_review(world)
    with pytest.raises(ValidationError):
        services.application_return_for_correction(
            application=application, officer=world.officer, items=[]
        )


def test_pre_approve_needs_every_material_accepted(world, on_commit):
    application = f.under_review(world)
    with pytest.raises(TransitionRefused):
        services.application_pre_approve(application=application, officer=world.officer)
    f.accept_all(application, world.officer)
    with on_commit(execute=True):
        services.application_pre_approve(
            application=application, officer=world.officer, note="符合条件"
        )
    application.refresh_from_db()
    assert application.state == State.PRE_APPROVED
    assert application.visit_due_on == datetime.date.today() + datetime.timedelta(30)
    assert application.due_on is None
    assert audited(application, "household:pre_approve")
    message = Message.objects.get(
        recipient=world.resident, event="application_pre_approved"
    )
    assert world.station.name in message.body


def test_pre_approve_refused_when_the_route_goes_to_the_district(world):
    application = f.under_review(world, f.make_version(route="station_district"))
    f.accept_all(application, world.officer)
    with pytest.raises(TransitionRefused):
        services.application_pre_approve(application=application, officer=world.officer)


def test_forward_refused_on_a_station_route(world):
    application = f.under_review(world)
    f.accept_all(application, world.officer)
    with pytest.raises(TransitionRefused):
        services.application_forward(application=application, officer=world.officer)


def test_district_approval(world):
    application = f.awaiting_district(world)
    clock = StageClock.objects.get(record_id=application.pk, finished_at=None)
    assert clock.stage == "district"
    with pytest.raises(PermissionDenied):
        services.application_approve(
            application=application, approver=world.other_district_approver
        )
    services.application_approve(
        application=application, approver=world.district_approver
    )
    application.refresh_from_db()
    assert application.state == State.PRE_APPROVED
    assert last_step(application).actor_role == "district_approver"


def test_approver_cannot_be_the_reviewing_officer(world):
    application = f.awaiting_district(world)
    # The reviewing officer later holds the approver role (e.g. moved to the branch).
    reviewer = world.officer
    reviewer.role = "district_approver"
    reviewer.organisation = world.branch
    reviewer.save()
    with pytest.raises(TransitionRefused) as exc:
        services.application_approve(application=application, approver=reviewer)
    assert exc.value.code == "same_person"


def test_city_route_goes_through_both_levels(world):
    application = f.awaiting_district(world, route="station_district_city")
    services.application_approve(
        application=application, approver=world.district_approver
    )
    application.refresh_from_db()
    assert application.state == State.AWAITING_CITY
    with pytest.raises(PermissionDenied):
        services.application_approve(
            application=application, approver=world.district_approver
        )
    services.application_approve(application=application, approver=world.city_approver)
    application.refresh_from_db()
    assert application.state == State.PRE_APPROVED


def test_send_back_returns_the_file_to_its_reviewer(world, on_commit):
    application = f.awaiting_district(world)
    with pytest.raises(TransitionRefused):
        services.application_send_back(
            application=application, approver=world.district_approver, reason=""
        )
    with on_commit(execute=True):
        services.application_send_back(
            application=application,
            approver=world.district_approver,
            reason="请核实居住证明",
        )
    application.refresh_from_db()
    assert application.state == State.UNDER_REVIEW
    assert application.assigned_to == world.officer
    assert application.due_on is not None
    assert Message.objects.filter(
        recipient=world.officer, event="application_sent_back"
    ).exists()


def test_outside_approval_is_needed_before_pre_approval(world):
    version = f.make_version(route="outside_approval")
    application = f.under_review(world, version)
    f.accept_all(application, world.officer)
    with pytest.raises(TransitionRefused) as exc:
        services.application_pre_approve(application=application, officer=world.officer)
    assert exc.value.code == "outside_approval"
    with pytest.raises(ValidationError):
        services.application_outside_approval_record(
            application=application,
            officer=world.officer,
            authority="",
            document_number="",
            issued_on=None,
        )
    services.application_outside_approval_record(
        application=application,
        officer=world.officer,
        authority="市人保局",
        document_number="沪人社引〔2026〕123号",
        issued_on=datetime.date(2026, 1, 5),
    )
    assert audited(application, "application:outside_approval")
    services.application_pre_approve(application=application, officer=world.officer)
    application.refresh_from_db()
    assert application.state == State.PRE_APPROVED


def test_refuse(world, on_commit):
    application = f.under_review(world)
    with pytest.raises(ValidationError) as exc:
        services.application_refuse(
            application=application, officer=world.officer, reasons=[], policy_basis=""
        )
    assert set(exc.value.message_dict) == {"reasons", "policy_basis"}
    with on_commit(execute=True):
        services.application_refuse(
            application=application,
            officer=world.officer,
            reasons=["conditions_not_met", "未满足投靠年限"],
            policy_basis="《上海市户口事项办理程序规定》第八条",
        )
    application.refresh_from_db()
    assert application.state == State.REFUSED
    step = last_step(application)
    assert "不符合本事项的办理条件" in step.reason
    assert step.details["policy_basis"].startswith("《上海市")
    message = Message.objects.get(recipient=world.resident, event="application_refused")
    assert "第八条" in message.body


def test_approver_may_refuse_at_the_approval_level(world):
    application = f.awaiting_district(world)
    services.application_refuse(
        application=application,
        officer=world.district_approver,
        reasons=["conditions_not_met"],
        policy_basis="依据",
    )
    application.refresh_from_db()
    assert application.state == State.REFUSED


# ------------------------------------------------------------------- window


def test_visit_booked_cancelled_and_completed(world):
    application = f.pre_approved(world)
    with pytest.raises(PermissionDenied):
        services.application_visit_booked(
            application=application, actor=world.other_resident, booking_id=1
        )
    services.application_visit_booked(
        application=application, actor=world.resident, booking_id=42
    )
    application.refresh_from_db()
    assert application.state == State.VISIT_BOOKED and application.booking_id == "42"
    services.application_visit_cancelled(application=application, actor=world.resident)
    application.refresh_from_db()
    assert application.state == State.PRE_APPROVED
    services.application_visit_booked(
        application=application, actor=None, booking_id=43
    )
    with pytest.raises(ValidationError):
        services.application_complete(
            application=application,
            officer=world.officer,
            originals_checked=[],
            issued={},
        )
    services.application_complete(
        application=application,
        officer=world.officer2,
        originals_checked=["居民身份证"],
        issued={"hukou_page": "1"},
    )
    application.refresh_from_db()
    assert application.state == State.COMPLETED and application.completed_at
    assert audited(application, "household:complete")
    with pytest.raises(TransitionRefused):
        services.application_complete(
            application=application,
            officer=world.officer,
            originals_checked=["x"],
            issued={},
        )


def test_refuse_at_window(world):
    application = f.pre_approved(world)
    with pytest.raises(ValidationError):
        services.application_refuse_at_window(
            application=application, officer=world.officer, reasons=[]
        )
    services.application_refuse_at_window(
        application=application, officer=world.officer, reasons=["原件与上传材料不一致"]
    )
    application.refresh_from_db()
    assert application.state == State.REFUSED_AT_WINDOW
    assert last_step(application).reason == "原件与上传材料不一致"


def test_close_no_visit_only_after_the_visit_deadline(world):
    application = f.pre_approved(world)
    with pytest.raises(TransitionRefused):
        services.application_close_no_visit(application=application)
    Application.objects.filter(pk=application.pk).update(
        visit_due_on=datetime.date.today() - datetime.timedelta(days=1)
    )
    assert services.applications_close_expired() == 1
    application.refresh_from_db()
    assert application.state == State.CLOSED_NO_VISIT
    step = last_step(application)
    assert step.actor is None and step.actor_role == "system"
    assert services.applications_close_expired() == 0
