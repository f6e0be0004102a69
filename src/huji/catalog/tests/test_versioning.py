"""Publishing a new version; earlier versions are immutable and stay reachable."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huji.accounts.constants import AccountKind
from huji.accounts.models import User
from huji.audit.models import AuditEvent
from huji.catalog import selectors
from huji.catalog.models import Item, ItemVersion
from huji.catalog.services import item_version_publish, version_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return User.objects.create_superuser(
        username="catalog-admin",
        password="x",
        kind=AccountKind.RESIDENT,
        mobile="13900000001",
    )


def test_publish_creates_the_next_version_and_keeps_the_old_one(admin_user):
    item = Item.objects.get(code="HJ09-01")
    old = item.current_version
    filed_under = ItemVersion.objects.filter(pk=old.pk).values().get()
    definition = version_definition(old)
    definition["time_limits"] = {**definition["time_limits"], "review": 5}

    new = item_version_publish(item=item, definition=definition, actor=admin_user)

    assert new.number == old.number + 1
    item.refresh_from_db()
    assert item.current_version_id == new.pk
    # An application holding the old version (FK by pk) still sees it unchanged.
    assert ItemVersion.objects.filter(pk=old.pk).values().get() == filed_under
    assert selectors.item_version_get(code="HJ09-01", number=old.number).pk == old.pk
    assert selectors.item_version_get(code="HJ09-01").time_limits["review"] == 5
    event = AuditEvent.objects.get(action="catalog:publish", object_id=str(new.pk))
    assert event.actor == admin_user
    assert event.changes["number"] == new.number


def test_a_published_version_cannot_be_changed_or_deleted():
    version = Item.objects.get(code="HJ01-01").current_version
    version.name = "改过的名称"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    assert ItemVersion.objects.get(pk=version.pk).name == "婚生子女出生登记"


def test_only_administrators_publish():
    resident = User.objects.create_user(
        username="r1", kind=AccountKind.RESIDENT, mobile="13900000002"
    )
    item = Item.objects.get(code="HJ01-01")
    before = item.versions.count()
    with pytest.raises(PermissionDenied):
        item_version_publish(
            item=item,
            definition=version_definition(item.current_version),
            actor=resident,
        )
    assert item.versions.count() == before


def test_an_invalid_definition_is_refused(admin_user):
    item = Item.objects.get(code="HJ01-01")
    definition = version_definition(item.current_version)
    definition["materials"][0]["required"] = {"field": "no_such_field", "equals": 1}
    with pytest.raises(ValidationError):
        item_version_publish(item=item, definition=definition, actor=admin_user)
    assert item.versions.count() == 1


def test_unknown_code_or_number_raises_does_not_exist():
    with pytest.raises(ItemVersion.DoesNotExist):
        selectors.item_version_get(code="HJ99-99")
    with pytest.raises(ItemVersion.DoesNotExist):
        selectors.item_version_get(code="HJ01-01", number=99)
