"""The whole residence journey through the pages, with Django's test client."""

import re

import pypdf
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from huji.accounts.tests.helpers import sign_in_resident, sign_in_staff
from huji.residence.models import Delivery, PermitApplication, ResidenceRegistration


def staff_client(user):
    client = Client()
    sign_in_staff(client, user)
    return client


@pytest.mark.django_db
def test_journey_through_pages(world, django_capture_on_commit_callbacks):
    resident = Client()
    sign_in_resident(resident, world.resident)
    clerk = staff_client(world.clerk)
    with time_machine.travel("2025-03-03 10:00 +0800", tick=False):
        page = resident.get(reverse("portal:residence_register"))
        assert page.status_code == 200
        response = resident.post(
            reverse("portal:residence_register"),
            {
                "address_0": "310104",
                "address_1": world.street.code,
                "address_2": "漕溪北路123弄4号501室",
                "reason": "work",
                "employer": "上海某某科技有限公司",
                "housing_type": "rental",
                "housing_proof": "租赁备案 2025-0001",
                "phone": "13900000001",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        registration = ResidenceRegistration.objects.get()
        status = resident.get(response["Location"])
        # 2 working days from Monday 3 March 2025: Wednesday 5 March.
        assert "2025年3月5日" in status.content.decode()
        queue = clerk.get(reverse("backoffice:residence_home"))
        assert registration.number in queue.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            clerk.post(
                reverse(
                    "backoffice:residence_registration_decide",
                    args=[registration.number],
                ),
                {"action": "confirm"},
            )
        registration.refresh_from_db()
        assert registration.state == "confirmed"
        pdf = resident.get(
            reverse(
                "portal:residence_registration_certificate", args=[registration.number]
            )
        )
        assert pdf["Content-Type"] == "application/pdf"
        text = (
            pypdf.PdfReader(__import__("io").BytesIO(pdf.content))
            .pages[0]
            .extract_text()
        )
        assert "居住登记凭证" in text and registration.number in text
        verify = Client().get(
            reverse("public:verify", args=[registration.certificate.token])
        )
        assert "真实有效" in verify.content.decode()
        assert "张*三" in verify.content.decode()
        assert world.person.id_number not in verify.content.decode()

    with time_machine.travel("2025-09-15 10:00 +0800", tick=False):
        # Sessions from March have expired by September.
        resident = Client()
        sign_in_resident(resident, world.resident)
        clerk = staff_client(world.clerk)
        apply_page = resident.get(reverse("portal:residence_permit_apply"))
        assert "可以申领" in apply_page.content.decode()
        response = resident.post(
            reverse("portal:residence_permit_apply"),
            {
                "basis": "job",
                "handover": "post",
                "delivery_address": "上海市徐汇区漕溪北路123弄4号501室",
                "delivery_phone": "13900000001",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        application = PermitApplication.objects.get()
        for action in ("accept", "approve"):
            with django_capture_on_commit_callbacks(execute=True):
                clerk.post(
                    reverse(
                        "backoffice:residence_application_act",
                        args=[application.number],
                    ),
                    {"action": action},
                )
        application.refresh_from_db()
        assert application.state == "in_production"
        card = staff_client(world.card)
        assert (
            application.number
            in card.get(reverse("backoffice:residence_production")).content.decode()
        )
        response = card.post(
            reverse("backoffice:residence_batch_create"), {"limit": 10}
        )
        batch_url = response["Location"]
        number = batch_url.rstrip("/").split("/")[-1]
        for action in ("print", "check", "dispatch"):
            with django_capture_on_commit_callbacks(execute=True):
                card.post(
                    reverse("backoffice:residence_batch_act", args=[number]),
                    {"action": action},
                )
        page = card.get(batch_url).content.decode()
        assert world.person.id_number not in page
        delivery = Delivery.objects.get()
        courier = staff_client(world.courier)
        page = courier.get(reverse("backoffice:residence_deliveries")).content.decode()
        assert "13900000001" in page and world.person.id_number not in page
        url = reverse("backoffice:residence_delivery_act", args=[delivery.pk])
        courier.post(url, {"action": "call", "agreed_time": "9月16日上午"})
        with django_capture_on_commit_callbacks(execute=True):
            courier.post(url, {"action": "deliver", "cash_yuan": "15"})
        delivery.refresh_from_db()
        assert delivery.state == "delivered" and delivery.cash_collected_yuan == 15
        cash = courier.get(reverse("backoffice:residence_cash") + "?day=2025-09-15")
        assert re.search(r"<td>1</td><td>15</td>", cash.content.decode())
        # Another courier organisation sees nothing of it.
        other = staff_client(world.other_courier)
        assert (
            "13900000001"
            not in other.get(
                reverse("backoffice:residence_deliveries")
            ).content.decode()
        )

        home = resident.get(reverse("portal:residence_home")).content.decode()
        assert "我的居住证" in home and "2026年9月14日" in home
        application.refresh_from_db()
        token = application.card.certificate.token

        # A clerk at another center reports the card lost at the counter.
        other_clerk = staff_client(world.other_clerk)
        other_clerk.post(
            reverse("backoffice:residence_counter_start"),
            {"id_number": world.person.id_number, "name": world.person.name},
        )
        page = other_clerk.get(reverse("backoffice:residence_counter")).content.decode()
        assert application.card.card_number in page
        with django_capture_on_commit_callbacks(execute=True):
            other_clerk.post(reverse("backoffice:residence_counter_act", args=["loss"]))
        verify = Client().get(reverse("public:verify", args=[token])).content.decode()
        assert "已挂失" in verify
        api = Client().get(f"/api/v1/verify/{token}").json()
        assert api["verdict"] == "lost" and api["masked_name"] == "张*三"
