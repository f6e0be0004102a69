import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from huji.accounts.tests.helpers import sign_in_resident, sign_in_staff
from huji.residence.models import ResidenceRegistration


def _photo() -> SimpleUploadedFile:
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 255, size=(900, 1400, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=90)
    return SimpleUploadedFile("proof.jpg", buffer.getvalue(), "image/jpeg")


@pytest.mark.django_db
def test_housing_photo_is_uploaded_and_claimed_for_the_center(world, client):
    sign_in_resident(client, world.resident)
    response = client.post(
        "/me/residence/register/",
        {
            "address_0": "310104",
            "address_1": world.street.code,
            "address_2": "漕溪北路1号",
            "reason": "family",
            "housing_type": "relative",
            "housing_proof": "沪房地徐字 2020-001",
            "phone": "13900000001",
            "housing_photo_file": _photo(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    registration = ResidenceRegistration.objects.get()
    assert len(registration.material_ids) == 1
    from huji.materials.selectors import uploads_by_public_ids

    (upload,) = uploads_by_public_ids(registration.material_ids).values()
    assert upload.organisation == world.center and upload.domain == "residence"
    assert upload.claimed_at is not None
    staff = client.__class__()
    sign_in_staff(staff, world.other_clerk)
    page = staff.get(f"/staff/residence/registrations/{registration.number}/")
    assert str(upload.public_id) in page.content.decode()


@pytest.mark.django_db
def test_form_errors_name_the_field_in_chinese(world, client):
    sign_in_resident(client, world.resident)
    response = client.post(
        "/me/residence/register/",
        {
            "address_0": "310104",
            "reason": "work",
            "housing_type": "own",
            "housing_proof": "x",
            "phone": "123",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "请选择街道" in page
    assert "请填写11位手机号码" in page
    assert "请填写单位或学校名称" in page
    assert not ResidenceRegistration.objects.exists()
