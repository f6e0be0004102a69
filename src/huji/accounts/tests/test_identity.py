import pytest
from django.core.exceptions import PermissionDenied

from huji.accounts.constants import IdentityLevel, StaffRole
from huji.accounts.identity import (
    FaceMatchProvider,
    InPersonAtFirstVisitProvider,
    NotConfigured,
    get_identity_provider,
)
from huji.accounts.services import (
    account_identity_level_record,
    account_mark_verified_in_person,
)
from huji.accounts.tests.factories import ResidentFactory, StaffFactory
from huji.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_default_provider_is_in_person_at_first_visit():
    provider = get_identity_provider()
    assert isinstance(provider, InPersonAtFirstVisitProvider)
    assert provider.level == IdentityLevel.IN_PERSON
    assert "窗口" in str(provider.resident_instructions)


def test_face_match_is_an_adapter_that_refuses_until_configured():
    with pytest.raises(NotConfigured):
        FaceMatchProvider().verify(user=None, evidence=b"photo")


def test_officer_marks_resident_verified_in_person():
    resident = ResidentFactory(identity_level=IdentityLevel.ID_NUMBER)
    officer = StaffFactory(role=StaffRole.STATION_OFFICER)

    account_mark_verified_in_person(user=resident, officer=officer)

    resident.refresh_from_db()
    assert resident.identity_level == IdentityLevel.IN_PERSON
    event = AuditEvent.objects.get(action="account:identity_level")
    assert event.actor == officer
    assert event.changes == {"identity_level": ["id_number", "in_person"]}
    assert resident.messages.filter(event="identity_in_person").exists()


def test_card_production_cannot_mark_identity():
    resident = ResidentFactory(identity_level=IdentityLevel.ID_NUMBER)
    with pytest.raises(PermissionDenied):
        account_mark_verified_in_person(
            user=resident, officer=StaffFactory(role=StaffRole.CARD_PRODUCTION)
        )
    resident.refresh_from_db()
    assert resident.identity_level == IdentityLevel.ID_NUMBER


def test_level_never_goes_down():
    resident = ResidentFactory(identity_level=IdentityLevel.IN_PERSON)
    account_identity_level_record(
        user=resident, level=IdentityLevel.FACE_MATCH, actor=None
    )
    resident.refresh_from_db()
    assert resident.identity_level == IdentityLevel.IN_PERSON
