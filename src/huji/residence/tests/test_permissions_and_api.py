import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from huji.accounts.tests.helpers import sign_in_resident, sign_in_staff
from huji.residence import selectors, services
from huji.residence.tests import helpers
from huji.residence.tests.factories import resident
from huji.workflow.engine import TransitionRefused


@pytest.mark.django_db
def test_only_clerks_confirm_and_not_twice(world):
    registration = services.registration_submit(
        person=world.person,
        actor=world.resident,
        street_code=world.street.code,
        address_detail="1号",
        reason="other",
        housing_type="own",
        phone="13900000001",
    )
    with pytest.raises(TransitionRefused, match="理由"):
        services.registration_refuse(
            registration=registration, actor=world.clerk, reason=""
        )
    with pytest.raises(PermissionDenied):
        services.registration_confirm(registration=registration, actor=world.officer)
    services.registration_confirm(registration=registration, actor=world.other_clerk)
    with pytest.raises(TransitionRefused):
        services.registration_confirm(registration=registration, actor=world.clerk)


@pytest.mark.django_db
def test_a_resident_files_only_for_themself(world):
    other = resident("李四")
    with pytest.raises(PermissionDenied):
        services.registration_submit(
            person=world.person,
            actor=other,
            street_code=world.street.code,
            address_detail="1号",
            reason="other",
            housing_type="own",
            phone="13900000001",
        )


@pytest.mark.django_db
def test_eligibility_refuses_without_half_a_year(world):
    with time_machine.travel("2025-03-03 09:00 +0800", tick=False):
        helpers.registration_confirmed(world)
        with pytest.raises(services.ResidenceError, match="半年"):
            helpers.permit_applied(world, insurance=False)
        assert helpers.permit_applied(world, insurance=True).state == "submitted"


@pytest.mark.django_db
def test_scopes_production_and_courier(world):
    with time_machine.travel("2025-03-03 09:00 +0800", tick=False):
        helpers.registration_confirmed(world)
        application = helpers.permit_produced(world)
    delivery = application.deliveries.get()
    assert list(selectors.deliveries_for_courier(user=world.courier)) == [delivery]
    assert not selectors.deliveries_for_courier(user=world.other_courier).exists()
    with pytest.raises(PermissionDenied):
        services.delivery_call(
            delivery=delivery, actor=world.other_courier, agreed_time="明天"
        )
    # Production and couriers have no access to the clerk's records.
    assert not selectors.registrations_for_staff(user=world.courier).exists()
    assert not selectors.production_queue(user=world.courier).exists()


@pytest.mark.django_db
def test_delivery_failure_retry_return_and_cash(world):
    with time_machine.travel("2025-03-03 09:00 +0800", tick=False):
        helpers.registration_confirmed(world)
        application = helpers.permit_produced(world)
        delivery = application.deliveries.get()
        with pytest.raises(TransitionRefused):  # must phone first
            services.delivery_deliver(
                delivery=delivery, actor=world.courier, cash_yuan=15
            )
        services.delivery_fail(
            delivery=delivery, actor=world.courier, reason="无人接听"
        )
        services.delivery_retry(delivery=delivery, actor=world.courier)
        services.delivery_call(
            delivery=delivery, actor=world.courier, agreed_time="下午"
        )
        with pytest.raises(services.ResidenceError, match="15"):
            services.delivery_deliver(
                delivery=delivery, actor=world.courier, cash_yuan=10
            )
        services.delivery_fail(delivery=delivery, actor=world.courier, reason="拒收")
        services.delivery_return(
            delivery=delivery, actor=world.courier, reason="两次未成功"
        )
    application.refresh_from_db()
    assert application.state == "ready_for_pickup"
    assert application.pickup_center == world.center
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.state == "returned"


@pytest.mark.django_db
def test_cash_reconciliation_per_courier_per_day(world):
    with time_machine.travel("2025-03-03 09:00 +0800", tick=False):
        helpers.registration_confirmed(world)
        helpers.permit_delivered(world)
        day = services.today()
        rows = selectors.cash_by_courier(user=world.courier, day=day)
        assert [(r.deliveries, r.expected_yuan, r.received_yuan) for r in rows] == [
            (1, 15, None)
        ]
        record = services.cash_reconcile(
            courier=world.courier, day=day, received_yuan=10, actor=world.courier
        )
        assert record.difference_yuan == -5
        rows = selectors.cash_by_courier(user=world.courier, day=day)
        assert rows[0].difference_yuan == -5
        assert selectors.cash_by_courier(user=world.other_courier, day=day) == []


@pytest.mark.django_db
def test_api_resident_and_staff(world, client):
    sign_in_resident(client, world.resident)
    with time_machine.travel("2025-09-30 09:00 +0800", tick=False):
        response = client.post(
            "/api/v1/residence/registrations",
            {
                "street_code": world.street.code,
                "address_detail": "1号",
                "reason": "work",
                "housing_type": "own",
                "phone": "13900000001",
                "employer": "单位",
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["due_on"] == "2025-10-10" and body["center"] == world.center.name
        again = client.post(
            "/api/v1/residence/registrations",
            {
                "street_code": world.street.code,
                "address_detail": "1号",
                "reason": "work",
                "housing_type": "own",
                "phone": "13900000001",
            },
            content_type="application/json",
        )
        assert again.status_code == 400 and "待确认" in again.json()["detail"]
        assert client.get("/api/v1/residence/eligibility").json()["ok"] is False
        staff = client.__class__()
        sign_in_staff(staff, world.clerk)
        confirmed = staff.post(
            f"/api/v1/residence/registrations/{body['number']}/confirm",
            {},
            content_type="application/json",
        )
        assert confirmed.status_code == 200, confirmed.content
        token = confirmed.json()["certificate_token"]
        assert client.get(f"/api/v1/verify/{token}").json()["verdict"] == "valid"
        courier = client.__class__()
        sign_in_staff(courier, world.courier)
        assert (
            courier.post(
                f"/api/v1/residence/registrations/{body['number']}/confirm",
                {},
                content_type="application/json",
            ).status_code
            == 404
        )
        assert client.get("/api/v1/residence/registrations").json()["count"] == 1


@pytest.mark.django_db
def test_api_counter_operation_clerk_yes_officer_no(world):
    from django.test import Client

    from huji.residence.constants import PermitState

    with time_machine.travel("2025-03-03 09:00 +0800", tick=False):
        helpers.registration_confirmed(world)
        permit = helpers.permit_delivered(world)
        officer, clerk = Client(), Client()
        sign_in_staff(officer, world.officer)
        sign_in_staff(clerk, world.clerk)
        url = f"/api/v1/residence/permits/{permit.card_number}/report-loss"

        refused = officer.post(url, {"reason": "丢失"}, content_type="application/json")
        done = clerk.post(url, {"reason": "丢失"}, content_type="application/json")

    assert refused.status_code == 403
    assert done.status_code == 200, done.content
    permit.refresh_from_db()
    assert selectors.permit_view(permit).state == PermitState.LOST
