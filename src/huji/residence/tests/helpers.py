"""Short-cuts that walk records through the services (for tests and the demo)."""

import datetime

from huji.residence import services
from huji.residence.constants import Handover


def registration_confirmed(world, *, person=None, actor=None):
    person = person or world.person
    registration = services.registration_submit(
        person=person,
        actor=actor or person.account,
        street_code=world.street.code,
        address_detail="漕溪北路123弄4号501室",
        reason="work",
        employer="上海某某科技有限公司",
        housing_type="rental",
        housing_proof="租赁备案 2025-0001",
        phone="13900000001",
    )
    return services.registration_confirm(registration=registration, actor=world.clerk)


def permit_applied(world, *, handover=Handover.POST, insurance=True):
    return services.permit_apply(
        person=world.person,
        actor=world.resident,
        basis="job",
        social_insurance_declared=insurance,
        handover=handover,
        delivery_address="上海市徐汇区漕溪北路123弄4号501室",
        delivery_phone="13900000001",
    )


def permit_produced(world, *, handover=Handover.POST):
    application = permit_applied(world, handover=handover)
    services.permit_accept(application=application, actor=world.clerk)
    services.permit_approve(application=application, actor=world.clerk)
    batch = services.batch_create(actor=world.card)
    services.batch_print(batch=batch, actor=world.card)
    services.batch_check(batch=batch, actor=world.card)
    services.batch_dispatch(batch=batch, actor=world.card)
    application.refresh_from_db()
    return application


def permit_delivered(world):
    application = permit_produced(world)
    delivery = application.deliveries.get()
    services.delivery_call(
        delivery=delivery, actor=world.courier, agreed_time="明天上午"
    )
    services.delivery_deliver(delivery=delivery, actor=world.courier, cash_yuan=15)
    application.refresh_from_db()
    return application.card


def today() -> datetime.date:
    return services.today()
