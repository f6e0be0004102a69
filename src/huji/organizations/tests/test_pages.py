import pytest
from django.urls import reverse

from huji.accounts.constants import StaffRole
from huji.accounts.tests.factories import StaffFactory
from huji.accounts.tests.helpers import sign_in_staff
from huji.organizations.models import Organisation

pytestmark = pytest.mark.django_db

URL = reverse("backoffice:organisations")


def _staff(code, role, **extra):
    return StaffFactory(
        organisation=Organisation.objects.get(code=code), role=role, **extra
    )


@pytest.fixture
def admin_client(client):
    sign_in_staff(client, _staff("SHPSB", StaffRole.SYSTEM_ADMIN))
    return client


def test_the_tree_for_a_district(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = admin_client.get(URL, {"district": "310104"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "上海市公安局徐汇分局" in content
    assert "徐家汇派出所" in content
    assert "徐家汇街道社区事务受理服务中心" in content
    assert content.count("推定重建") >= 14
    assert "上海市公安局人口管理办公室" in content


def test_search_finds_organisations(admin_client):
    response = admin_client.get(URL, {"q": "浦东分局"})

    assert [o.code for o in response.context["results"]] == ["310115-FJ"]


def test_an_unknown_district_is_404(admin_client):
    assert admin_client.get(URL, {"district": "310199"}).status_code == 404


def test_a_station_officer_is_refused(client):
    sign_in_staff(client, _staff("310104014-PCS", StaffRole.STATION_OFFICER))

    assert client.get(URL).status_code == 403


JURISDICTION_URL = reverse("backoffice:jurisdiction_lookup")


def test_any_staff_member_can_look_up_a_jurisdiction(client):
    sign_in_staff(client, _staff("310101002-CTR", StaffRole.CENTER_CLERK))

    response = client.get(
        JURISDICTION_URL, {"address_0": "310104", "address_1": "310104014"}
    )

    assert response.status_code == 200
    found = response.context["found"]
    assert found.police_station.code == "310104014-PCS"
    assert "徐家汇派出所" in response.content.decode()


def test_jurisdiction_lookup_refuses_a_mismatched_pair(client):
    sign_in_staff(client, _staff("310101002-CTR", StaffRole.CENTER_CLERK))

    response = client.get(
        JURISDICTION_URL, {"address_0": "310101", "address_1": "310104014"}
    )

    assert response.context["found"] is None
    assert "所选街道（镇）不在黄浦区" in response.content.decode()


def test_jurisdiction_lookup_needs_a_staff_sign_in(client):
    response = client.get(JURISDICTION_URL)

    assert response.status_code == 302
