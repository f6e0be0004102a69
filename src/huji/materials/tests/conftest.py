"""Fixtures for the materials tests: people, jurisdictions and photos."""

import io
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huji.accounts.constants import StaffRole
from huji.accounts.tests.factories import ResidentFactory, StaffFactory
from huji.materials.tests.synthetic import font_path, make_sample
from huji.organizations.tests.factories import make_street

needs_font = pytest.mark.skipif(
    font_path() is None, reason="fonts-noto-cjk is needed to draw the documents"
)


@cache
def photo_bytes(defect: str = "good", *, kind: str = "id_card", seed: int = 7) -> bytes:
    """A synthetic phone photo (1600×1200 JPEG), the same bytes on every call."""
    return make_sample(seed, kind=kind, defect=defect, size=(1600, 1200)).jpeg()


def as_upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_bytes(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def resident(db):
    return ResidentFactory()


@pytest.fixture
def other_resident(db):
    return ResidentFactory()


@pytest.fixture
def xujiahui(db):
    return make_street()


@pytest.fixture
def tianping(db):
    return make_street(code="310104003", name="天平路街道")


@pytest.fixture
def officer(xujiahui):
    return StaffFactory(
        organisation=xujiahui.police_station, role=StaffRole.STATION_OFFICER
    )


@pytest.fixture
def other_officer(tianping):
    return StaffFactory(
        organisation=tianping.police_station, role=StaffRole.STATION_OFFICER
    )


@pytest.fixture
def clerk(tianping):
    return StaffFactory(
        organisation=tianping.service_center, role=StaffRole.CENTER_CLERK
    )


@pytest.fixture
def storage():
    from huji.materials.storage import get_storage

    return get_storage()


def stored_files(storage, prefix: str = "materials") -> list[str]:
    """Every file under ``prefix`` in the storage."""
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return []
    found = [f"{prefix}/{name}" for name in files]
    for folder in folders:
        found += stored_files(storage, f"{prefix}/{folder}")
    return found


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    """A new, empty in-memory storage for each test (reassigning STORAGES makes
    Django rebuild its storage objects)."""
    settings.STORAGES = {**settings.STORAGES}
