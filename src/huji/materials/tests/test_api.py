"""/api/v1/materials: check, upload, list, fetch and delete, as a client would."""

import io

import pytest
from PIL import Image

from huji.accounts.tests.helpers import sign_in_resident, sign_in_staff
from huji.materials.models import MaterialUpload
from huji.materials.services import upload_claim
from huji.materials.tests.conftest import needs_font, photo_bytes

pytestmark = pytest.mark.django_db
BASE = "/api/v1/materials"


def jpeg(colour=(180, 180, 180)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "photo.jpg"
    return buffer


@needs_font
def test_check_returns_the_verdict_as_json_and_stores_nothing(client, resident):
    sign_in_resident(client, resident)
    blurred = io.BytesIO(photo_bytes("blurred", kind="id_card", seed=11))
    blurred.name = "blurred.jpg"
    response = client.post(
        f"{BASE}/check", {"file": blurred, "material_kind": "id_card"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    problem = next(p for p in body["problems"] if p["code"] == "blurred")
    assert "对焦清楚" in problem["message"]
    assert problem["values"]["edge_width"] > problem["values"]["limit"]
    assert "edge_width" in body["measures"]
    assert MaterialUpload.objects.count() == 0


def test_check_refusal_is_a_400_with_code(client, resident):
    sign_in_resident(client, resident)
    svg = io.BytesIO(b"<svg onload=alert(1)></svg>")
    svg.name = "photo.jpg"
    response = client.post(f"{BASE}/check", {"file": svg, "material_kind": "id_card"})
    assert response.status_code == 400
    assert response.json()["code"] == "markup"
    assert "网页或矢量图" in response.json()["detail"]


def test_check_needs_a_signed_in_resident(client, officer):
    response = client.post(
        f"{BASE}/check", {"file": jpeg(), "material_kind": "id_card"}
    )
    assert response.status_code == 401
    sign_in_staff(client, officer)
    response = client.post(
        f"{BASE}/check", {"file": jpeg(), "material_kind": "id_card"}
    )
    assert response.status_code == 401


def test_upload_list_fetch_delete(client, resident, other_resident):
    sign_in_resident(client, resident)
    response = client.post(
        f"{BASE}/uploads",
        {"file": jpeg(), "material_kind": "document", "slot_key": "proof"},
    )
    assert response.status_code == 201
    created = response.json()
    assert created["slot_key"] == "proof" and created["claimed"] is False
    assert created["file_url"] == f"/files/{created['id']}/"
    assert client.get(created["file_url"]).status_code == 200

    listing = client.get(f"{BASE}/uploads", {"limit": 10}).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == created["id"]
    assert client.get(f"{BASE}/uploads/{created['id']}").status_code == 200

    sign_in_resident(client, other_resident)
    assert client.get(f"{BASE}/uploads/{created['id']}").status_code == 404
    assert client.delete(f"{BASE}/uploads/{created['id']}").status_code == 404
    assert client.get(f"{BASE}/uploads").json()["count"] == 0

    sign_in_resident(client, resident)
    assert client.delete(f"{BASE}/uploads/{created['id']}").status_code == 204
    assert client.get(f"{BASE}/uploads/{created['id']}").status_code == 404


def test_delete_refused_once_attached(client, resident, xujiahui):
    sign_in_resident(client, resident)
    created = client.post(
        f"{BASE}/uploads", {"file": jpeg(), "material_kind": "document"}
    ).json()
    upload = MaterialUpload.objects.get(public_id=created["id"])
    upload_claim(upload=upload, organisation=xujiahui.police_station, actor=resident)
    response = client.delete(f"{BASE}/uploads/{created['id']}")
    assert response.status_code == 403
    assert response.json()["code"] == "not_editable"


def test_staff_fetch_metadata_within_jurisdiction_only(
    client, resident, officer, other_officer, xujiahui
):
    sign_in_resident(client, resident)
    created = client.post(
        f"{BASE}/uploads", {"file": jpeg(), "material_kind": "document"}
    ).json()
    upload = MaterialUpload.objects.get(public_id=created["id"])
    upload_claim(upload=upload, organisation=xujiahui.police_station, actor=resident)
    sign_in_staff(client, officer)
    assert client.get(f"{BASE}/uploads/{created['id']}").status_code == 200
    sign_in_staff(client, other_officer)
    assert client.get(f"{BASE}/uploads/{created['id']}").status_code == 404


def test_upload_refusal_and_unknown_kind(client, resident):
    sign_in_resident(client, resident)
    html = io.BytesIO(b"<html><script>x</script></html>")
    html.name = "scan.jpg"
    response = client.post(
        f"{BASE}/uploads", {"file": html, "material_kind": "document"}
    )
    assert response.status_code == 400 and response.json()["code"] == "markup"
    response = client.post(f"{BASE}/uploads", {"file": jpeg(), "material_kind": "x"})
    assert response.status_code == 400
