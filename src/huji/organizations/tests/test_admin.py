import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from huji.accounts.constants import StaffRole
from huji.accounts.tests.factories import StaffFactory
from huji.accounts.tests.helpers import sign_in_staff
from huji.audit.models import AuditEvent
from huji.organizations.models import Division, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = StaffFactory(
        organisation=Organisation.objects.get(code="SHPSB"),
        role=StaffRole.SYSTEM_ADMIN,
        is_staff=True,
        is_superuser=True,
    )
    sign_in_staff(client, admin)
    client.admin_user = admin
    return client


def _form_data(obj) -> dict:
    data = {k: ("" if v is None else v) for k, v in model_to_dict(obj).items()}
    data.pop("id", None)
    if not data.get("is_active", True):
        data.pop("is_active")
    return data


def test_an_administrator_edit_is_saved_and_audited_with_old_and_new(admin_client):
    center = Organisation.objects.get(code="310104014-CTR")
    data = _form_data(center) | {"address": "漕溪北路 1 号", "phone": "021-00000000"}
    url = reverse("admin:organizations_organisation_change", args=[center.pk])

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    center.refresh_from_db()
    assert center.address == "漕溪北路 1 号"
    event = AuditEvent.objects.get(action="organisation_update")
    assert event.actor == admin_client.admin_user
    assert event.object_type == "organizations.organisation"
    assert event.object_id == str(center.pk)
    assert event.changes == {
        "address": ["", "漕溪北路 1 号"],
        "phone": ["", "021-00000000"],
    }


def test_jurisdiction_can_be_reassigned_in_the_admin(admin_client):
    street = Division.objects.get(code="310104003")
    other = Organisation.objects.get(code="310104014-PCS")
    data = _form_data(street) | {"police_station": other.pk}
    url = reverse("admin:organizations_division_change", args=[street.pk])

    response = admin_client.post(url, data)

    assert response.status_code == 302
    street.refresh_from_db()
    assert street.police_station == other
    event = AuditEvent.objects.get(action="division_update")
    old = Organisation.objects.get(code="310104003-PCS").pk
    assert event.changes == {"police_station": [old, other.pk]}


def test_nothing_is_deleted_in_the_admin(admin_client):
    station = Organisation.objects.get(code="310104014-PCS")
    url = reverse("admin:organizations_organisation_delete", args=[station.pk])

    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Organisation.objects.filter(pk=station.pk).exists()


def test_lists_search_and_filter(admin_client, django_assert_max_num_queries):
    url = reverse("admin:organizations_organisation_changelist")

    with django_assert_max_num_queries(15):
        response = admin_client.get(
            url, {"kind": "police_station", "district": "310104"}
        )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 14
    found = admin_client.get(url, {"q": "徐家汇"})
    assert found.context["cl"].result_count == 2
    divisions = admin_client.get(
        reverse("admin:organizations_division_changelist"), {"district": "310115"}
    )
    assert divisions.context["cl"].result_count == 42


def test_a_staff_member_without_admin_rights_cannot_edit(client):
    officer = StaffFactory(
        organisation=Organisation.objects.get(code="310104014-PCS"),
        role=StaffRole.STATION_OFFICER,
    )
    sign_in_staff(client, officer)
    station = Organisation.objects.get(code="310104014-PCS")
    url = reverse("admin:organizations_organisation_change", args=[station.pk])

    response = client.post(url, _form_data(station) | {"name": "改名派出所"})

    assert response.status_code == 302  # to the admin sign-in
    station.refresh_from_db()
    assert station.name == "徐家汇派出所"
    assert not AuditEvent.objects.exists()
