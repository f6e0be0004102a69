import pytest
from django.core.exceptions import PermissionDenied

from huji.accounts.constants import StaffRole
from huji.accounts.tests.factories import StaffFactory
from huji.audit.models import AuditEvent
from huji.organizations.models import Organisation
from huji.organizations.services import organisations_reload, reference_record_save

pytestmark = pytest.mark.django_db


def test_reference_record_save_refuses_without_the_permission_and_saves_with_it():
    station = Organisation.objects.get(code="310104014-PCS")
    officer = StaffFactory(organisation=station, role=StaffRole.STATION_OFFICER)
    admin = StaffFactory(
        organisation=Organisation.objects.get(code="SHPSB"),
        role=StaffRole.SYSTEM_ADMIN,
        is_superuser=True,
    )
    station.phone = "021-1"

    with pytest.raises(PermissionDenied):
        reference_record_save(obj=station, actor=officer)
    assert Organisation.objects.get(pk=station.pk).phone == ""
    assert not AuditEvent.objects.exists()

    changes = reference_record_save(obj=station, actor=admin, reason="核对")

    assert changes == {"phone": ["", "021-1"]}
    event = AuditEvent.objects.get()
    assert (event.action, event.reason, event.actor) == (
        "organisation_update",
        "核对",
        admin,
    )


def test_saving_without_changes_writes_nothing():
    admin = StaffFactory(
        organisation=Organisation.objects.get(code="SHPSB"),
        role=StaffRole.SYSTEM_ADMIN,
        is_superuser=True,
    )
    station = Organisation.objects.get(code="310104014-PCS")

    assert reference_record_save(obj=station, actor=admin) == {}
    assert not AuditEvent.objects.exists()


def test_reload_records_its_counts():
    result = organisations_reload(actor=None)

    event = AuditEvent.objects.get(action="organisations_reload")
    assert event.changes["organisations_created"] == result.organisations_created == 0
