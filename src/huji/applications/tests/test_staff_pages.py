"""The staff pages as an officer uses them."""

import threading

import pytest
from django.db import connection

from huji.accounts.constants import StaffRole
from huji.accounts.tests.factories import ResidentFactory, StaffFactory
from huji.accounts.tests.helpers import sign_in_staff
from huji.applications import services
from huji.applications.tests import factories as f
from huji.audit.models import AuditEvent
from huji.workflow.engine import TransitionRefused


def test_queue_shows_counts_and_keeps_filters(world, client):
    a = f.submitted(world)
    f.under_review(world, resident=ResidentFactory())
    sign_in_staff(client, world.officer)
    response = client.get("/staff/", {"state": "submitted", "q": a.number})
    page = response.content.decode()
    assert response.status_code == 200
    assert a.number in page
    assert f'value="{a.number}"' in page  # the filter stays in the form
    assert [r["application"] for r in response.context["rows"]] == [a]
    assert response.context["counts"]["submitted"] == 1
    assert response.context["counts"]["under_review"] == 1


def test_queue_requires_second_factor(world, client):
    client.force_login(
        world.officer, backend="django.contrib.auth.backends.ModelBackend"
    )
    response = client.get("/staff/")
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_detail_masks_id_numbers_until_an_audited_reveal(world, client):
    application = f.under_review(world)
    id_number = world.resident.person.id_number
    sign_in_staff(client, world.officer)
    page = client.get(f"/staff/applications/{application.number}/").content.decode()
    assert id_number not in page
    assert world.resident.person.masked_id_number in page
    assert "符合要求" in page and "照片不清晰" in page  # one-click verdicts
    assert "《上海市户口事项办理程序规定》" in page or "政策依据" in page
    assert AuditEvent.objects.filter(action="read:application").exists()
    revealed = client.post(f"/staff/applications/{application.number}/reveal/")
    assert id_number in revealed.content.decode()
    assert AuditEvent.objects.filter(
        action="read:id_number", actor=world.officer
    ).exists()


def test_only_the_actions_of_the_state_are_offered(world, client):
    application = f.submitted(world)
    sign_in_staff(client, world.officer)
    response = client.get(f"/staff/applications/{application.number}/")
    assert response.context["actions"] == {"claim"}
    client.post(f"/staff/applications/{application.number}/do/claim/")
    response = client.get(f"/staff/applications/{application.number}/")
    assert {"verdict", "return", "pre_approve", "refuse", "release"} <= (
        response.context["actions"]
    )
    assert "forward" not in response.context["actions"]
    sign_in_staff(client, world.officer2)
    response = client.get(f"/staff/applications/{application.number}/")
    assert response.context["actions"] == set()


def test_one_click_rejection_and_refused_action_message(world, client):
    application = f.under_review(world)
    sign_in_staff(client, world.officer)
    url = f"/staff/applications/{application.number}/do/"
    client.post(
        url + "verdict/",
        {"slot_key": "id_card", "verdict": "rejected", "reason_code": "unclear"},
    )
    slot = application.slots.get(slot_key="id_card")
    assert (slot.verdict, slot.reason_code) == ("rejected", "unclear")
    response = client.post(url + "pre_approve/", follow=True)
    assert "尚未审核为符合要求" in response.content.decode()


def test_residence_roles_go_to_their_pages_when_they_exist(world, client):
    from django.urls import NoReverseMatch, reverse

    clerk = StaffFactory(
        organisation=world.street.service_center, role=StaffRole.CENTER_CLERK
    )
    sign_in_staff(client, clerk)
    response = client.get("/staff/")
    try:
        target = reverse("backoffice:residence_home")
    except NoReverseMatch:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response["Location"] == target


@pytest.mark.django_db(transaction=True)
def test_two_officers_claiming_at_once_only_one_wins():
    """Real concurrency needs row locks: PostgreSQL only."""
    if connection.vendor != "postgresql":
        pytest.skip("row locking is tested on PostgreSQL")
    world = f.World()
    application = f.submitted(world)
    results = []
    barrier = threading.Barrier(2)

    def claim(officer):
        from django.db import connections

        barrier.wait()
        try:
            services.application_claim(
                application=application.__class__.objects.get(pk=application.pk),
                officer=officer,
            )
            results.append(officer.pk)
        except TransitionRefused:
            results.append(None)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=claim, args=(o,))
        for o in (world.officer, world.officer2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [r for r in results if r]
    assert len(winners) == 1
    application.refresh_from_db()
    assert application.assigned_to_id == winners[0]


def test_detail_renders_policy_basis_written_as_the_catalog_writes_it(world, client):
    # Catalog items cite {"regulation", "article", "text"} without a "title".
    version = f.make_version()
    definition = dict(version.definition)
    definition["policy_basis"] = [
        {
            "regulation": "《上海市常住户口管理规定》",
            "article": "第八条",
            "text": "新生儿应当在出生后一个月内申报出生登记。",
        }
    ]
    type(version).objects.filter(pk=version.pk).update(definition=definition)
    version.refresh_from_db()
    application = f.under_review(world, version)
    sign_in_staff(client, world.officer)

    response = client.get(f"/staff/applications/{application.number}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "《上海市常住户口管理规定》</strong> 第八条" in page


def test_menu_links_the_station_window_for_station_staff_only(world, client):
    sign_in_staff(client, world.officer)
    page = client.get("/staff/").content.decode()
    assert "/staff/window/today/" in page
    assert "/staff/audit/" not in page

    auditor = StaffFactory(organisation=world.station.parent, role=StaffRole.AUDITOR)
    client.logout()
    sign_in_staff(client, auditor)
    page = client.get("/staff/").content.decode()
    assert "/staff/window/today/" not in page
    assert "/staff/audit/" in page


def test_detail_lists_a_returned_material(world, client):
    # A returned material's correction item has no "field" key: the correction
    # record must still render (it used to raise VariableDoesNotExist).
    application = f.under_review(world)
    sign_in_staff(client, world.officer)
    url = f"/staff/applications/{application.number}/"
    client.post(
        url + "do/verdict/",
        {
            "slot_key": "id_card",
            "verdict": "rejected",
            "reason_code": "incomplete",
            "reason_text": "证件边角被手指遮挡",
        },
    )
    client.post(url + "do/return/", {"note": "请重新拍摄"})
    application.refresh_from_db()
    assert application.state == "correction_requested"

    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "补正记录" in page
    assert "证件边角被手指遮挡" in page


def test_return_form_opens_once_a_material_is_rejected(world, client):
    application = f.under_review(world)
    sign_in_staff(client, world.officer)
    url = f"/staff/applications/{application.number}/"
    assert client.get(url).context["has_rejected"] is False
    client.post(
        url + "do/verdict/",
        {"slot_key": "id_card", "verdict": "rejected", "reason_code": "unclear"},
    )
    response = client.get(url)
    assert response.context["has_rejected"] is True
    assert "<details open><summary>退回补正" in response.content.decode()
