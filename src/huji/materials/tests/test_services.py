"""Claim, delete and clean-up: allowed and refused cases, with their audit rows."""

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from huji.audit.models import AuditEvent
from huji.materials.models import MaterialUpload
from huji.materials.services import (
    upload_accept,
    upload_claim,
    upload_delete,
    uploads_cleanup,
)
from huji.materials.tasks import materials_cleanup_task
from huji.materials.tests.conftest import as_upload, stored_files

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def accept(user, colour=(200, 200, 200), slot_key=""):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG")
    return upload_accept(
        file=as_upload(buffer.getvalue()),
        uploaded_by=user,
        material_kind="document",
        slot_key=slot_key,
    )


def test_claim_attaches_to_the_organisation_with_audit(resident, xujiahui):
    upload = accept(resident)
    upload_claim(upload=upload, organisation=xujiahui.police_station, actor=resident)
    upload.refresh_from_db()
    assert upload.organisation == xujiahui.police_station
    assert upload.claimed_at is not None and upload.domain == "household"
    event = AuditEvent.objects.get(action="claim:material")
    assert event.actor == resident
    assert event.changes["organisation"] == [None, xujiahui.police_station.pk]


def test_another_resident_cannot_claim_it(resident, other_resident, xujiahui):
    upload = accept(resident)
    with pytest.raises(PermissionDenied):
        upload_claim(
            upload=upload, organisation=xujiahui.police_station, actor=other_resident
        )
    upload.refresh_from_db()
    assert upload.claimed_at is None
    assert not AuditEvent.objects.filter(action="claim:material").exists()


def test_delete_while_unattached_removes_the_files_at_commit(
    resident, storage, django_capture_on_commit_callbacks
):
    upload = accept(resident)
    keys = upload.all_keys()
    with django_capture_on_commit_callbacks(execute=True):
        upload_delete(upload=upload, actor=resident)
    upload.refresh_from_db()
    assert upload.deleted_at is not None
    assert not any(storage.exists(key) for key in keys)
    assert AuditEvent.objects.filter(action="delete:material", actor=resident).exists()


def test_delete_after_attaching_only_while_editable(resident, xujiahui):
    upload = accept(resident)
    upload_claim(upload=upload, organisation=xujiahui.police_station, actor=resident)
    with pytest.raises(PermissionDenied):
        upload_delete(upload=upload, actor=resident)
    upload_delete(upload=upload, actor=resident, editable=True)
    upload.refresh_from_db()
    assert upload.deleted_at is not None


def test_someone_else_cannot_delete(resident, other_resident):
    upload = accept(resident)
    with pytest.raises(PermissionDenied):
        upload_delete(upload=upload, actor=other_resident, editable=True)
    assert not AuditEvent.objects.filter(action="delete:material").exists()


def test_cleanup_removes_only_old_unattached_uploads_and_is_idempotent(
    resident, xujiahui, storage
):
    with time_machine.travel(NOW - datetime.timedelta(hours=30), tick=False):
        old = accept(resident, (10, 10, 10))
        old_claimed = accept(resident, (20, 20, 20))
        upload_claim(
            upload=old_claimed, organisation=xujiahui.police_station, actor=resident
        )
    with time_machine.travel(NOW - datetime.timedelta(hours=2), tick=False):
        recent = accept(resident, (30, 30, 30))

    assert uploads_cleanup(older_than_hours=24, now=NOW) == 1
    assert not MaterialUpload.objects.filter(pk=old.pk).exists()
    assert not any(storage.exists(key) for key in old.all_keys())
    for kept in (old_claimed, recent):
        assert MaterialUpload.objects.filter(pk=kept.pk).exists()
        assert all(storage.exists(key) for key in kept.all_keys())
    assert uploads_cleanup(older_than_hours=24, now=NOW) == 0


def test_cleanup_sweeps_files_whose_record_was_rolled_back(resident, storage):
    upload = accept(resident)
    keys = upload.all_keys()
    MaterialUpload.objects.filter(pk=upload.pk).delete()  # as if rolled back
    later = timezone.now() + datetime.timedelta(hours=25)
    assert uploads_cleanup(older_than_hours=24, now=later) == 1
    assert not any(storage.exists(key) for key in keys)
    assert stored_files(storage) == []


def test_management_command_and_task(resident, storage):
    upload = accept(resident)
    MaterialUpload.objects.filter(pk=upload.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=48)
    )
    call_command("materials_cleanup", "--older-than-hours", "24")
    assert not MaterialUpload.objects.exists()
    assert stored_files(storage) == []
    accept(resident)
    result = materials_cleanup_task.enqueue(older_than_hours=24)
    assert result.return_value == 0
    assert MaterialUpload.objects.count() == 1
