"""The admin's draft → publish flow."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from huji.accounts.tests.factories import StaffFactory
from huji.accounts.tests.helpers import sign_in_staff
from huji.catalog.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    # An administrator signed in with the second factor, as the admin requires.
    user = StaffFactory(is_staff=True, is_superuser=True, role="system_admin")
    sign_in_staff(client, user)
    return client


def _action(client, action: str, item: Item):
    return client.post(
        reverse("admin:catalog_item_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [item.pk]},
    )


def test_draft_then_publish_creates_a_new_version(admin_client):
    item = Item.objects.get(code="HJ08-05")
    old = item.current_version
    _action(admin_client, "draft_from_current", item)
    item.refresh_from_db()
    assert item.draft_definition["name"] == old.name

    item.draft_definition["time_limits"] = {"review": 2, "visit_valid_days": 30}
    item.save(update_fields=["draft_definition"])
    _action(admin_client, "publish_draft", item)

    item.refresh_from_db()
    assert item.current_version.number == old.number + 1
    assert item.current_version.time_limits["review"] == 2
    assert item.draft_definition is None
    old.refresh_from_db()
    assert old.time_limits["review"] == 1


def test_published_versions_are_read_only_in_the_admin(admin_client):
    version = Item.objects.get(code="HJ08-05").current_version
    url = reverse("admin:catalog_itemversion_change", args=[version.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b'name="name"' not in response.content
    response = admin_client.post(url, {"name": "x"})
    assert response.status_code == 403
