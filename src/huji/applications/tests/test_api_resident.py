"""The resident's side of the API: draft, answers, materials, submit, read,
timeline, withdraw; and that nobody reads someone else's application."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from huji.accounts.tests.helpers import sign_in_resident
from huji.applications.tests import factories as f

API = "/api/v1/applications"


def post(client, url, payload=None):
    return client.post(url, json.dumps(payload or {}), content_type="application/json")


def jpeg() -> bytes:
    """A photo of a light document on a darker table."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1200), (90, 80, 70))
    draw = ImageDraw.Draw(image)
    draw.rectangle((300, 250, 1300, 900), fill=(240, 240, 235))
    for y in range(320, 860, 40):
        draw.line((360, y, 1240, y), fill=(30, 30, 30), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_draft_answers_submit_and_read(world, client):
    version = f.make_version()
    sign_in_resident(client, world.resident)
    created = post(client, f"{API}/mine", {"item_code": version.item.code})
    assert created.status_code == 201, created.content
    ref = created.json()["ref"]
    assert {s["slot_key"] for s in created.json()["slots"]} == {"id_card", "hukou_book"}
    again = post(client, f"{API}/mine", {"item_code": version.item.code})
    assert again.status_code == 409 and again.json()["errors"]["ref"] == [ref]

    saved = client.put(
        f"{API}/mine/{ref}/answers",
        json.dumps({"answers": {"reason": "工作调动"}}),
        content_type="application/json",
    )
    assert saved.status_code == 200
    assert "destination_address" in saved.json()["errors"]
    refused = post(client, f"{API}/mine/{ref}/submit")
    assert refused.status_code == 422
    assert "materials.id_card" in refused.json()["errors"]

    client.put(
        f"{API}/mine/{ref}/answers",
        json.dumps({"answers": f.answers(world.street)}),
        content_type="application/json",
    )
    from huji.applications.models import Application

    application = Application.objects.get(public_id=ref)
    for slot in application.slots.all():
        f.services.application_material_add(
            application=application,
            slot_key=slot.slot_key,
            upload=f.make_upload(world.resident),
            actor=world.resident,
        )
    submitted = post(client, f"{API}/mine/{ref}/submit")
    assert submitted.status_code == 200, submitted.content
    number = submitted.json()["number"]
    assert submitted.json()["state"] == "submitted"
    listing = client.get(f"{API}/mine").json()
    assert [i["number"] for i in listing["items"]] == [number]
    timeline = client.get(f"{API}/mine/{number}/timeline").json()
    assert [e["action"] for e in timeline["entries"]] == ["submit"]
    assert timeline["entries"][0]["role_label"] == "申请人"
    assert timeline["due_on"]
    withdrawn = post(client, f"{API}/mine/{number}/withdraw", {"reason": "不办了"})
    assert withdrawn.json()["state"] == "withdrawn"


def test_material_upload_through_the_api(world, client):
    application = f.draft(world)
    sign_in_resident(client, world.resident)
    response = client.post(
        f"{API}/mine/{application.public_id}/materials/id_card",
        {"file": SimpleUploadedFile("id.jpg", jpeg(), content_type="image/jpeg")},
    )
    assert response.status_code == 201, response.content
    page = response.json()
    assert page["order"] == 2 and page["thumbnail"].endswith("/thumb/")
    assert "ok" in page["verdict"]
    slot = application.slots.get(slot_key="id_card")
    assert slot.pages.count() == 2
    removed = client.delete(f"{API}/mine/{application.public_id}/pages/{page['id']}")
    assert removed.status_code == 204
    assert slot.pages.count() == 1


def test_someone_elses_application_is_404(world, client):
    application = f.submitted(world)
    sign_in_resident(client, world.other_resident)
    assert client.get(f"{API}/mine/{application.number}").status_code == 404
    assert client.get(f"{API}/mine/{application.number}/timeline").status_code == 404
    assert post(client, f"{API}/mine/{application.number}/withdraw").status_code == 404
    sign_in_resident(client, world.resident)
    assert client.get(f"{API}/mine/{application.number}").status_code == 200


def test_resubmit_after_correction(world, client):
    application = f.correction_requested(world)
    sign_in_resident(client, world.resident)
    detail = client.get(f"{API}/mine/{application.number}").json()
    assert detail["corrections"][0]["items"]
    f.services.application_material_add(
        application=application,
        slot_key="id_card",
        upload=f.make_upload(world.resident),
        actor=world.resident,
    )
    response = post(client, f"{API}/mine/{application.number}/resubmit")
    assert response.status_code == 200 and response.json()["state"] == "resubmitted"
    again = post(client, f"{API}/mine/{application.number}/resubmit")
    assert again.status_code == 409


def test_public_progress_needs_the_id_number_ending(world):
    from huji.applications import selectors

    application = f.submitted(world)
    last4 = world.resident.person.id_number[-4:]
    progress = selectors.application_progress_public(
        number=application.number, id_last4=last4
    )
    assert progress["state"] == "submitted" and progress["station"]
    assert "name" not in progress and world.resident.person.name not in str(progress)
    assert (
        selectors.application_progress_public(
            number=application.number, id_last4="0000"
        )
        is None
    )
