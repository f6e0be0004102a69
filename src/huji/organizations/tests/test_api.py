import pytest

pytestmark = pytest.mark.django_db

BASE = "/api/v1/organizations"


def test_districts_are_public_and_paginated(client):
    response = client.get(f"{BASE}/districts", {"limit": 5})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 16
    assert len(body["items"]) == 5
    assert body["items"][0] == {"code": "310101", "name": "黄浦区", "street_count": 10}


def test_streets_of_a_district_with_their_station_and_center(client):
    response = client.get(f"{BASE}/districts/310115/streets", {"limit": 100})

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 42
    assert len(body["items"]) == 42
    first = body["items"][0]
    assert first["district_code"] == "310115"
    assert first["police_station"]["code"] == f"{first['code']}-PCS"
    assert first["service_center"]["code"] == f"{first['code']}-CTR"


def test_second_page_of_streets(client):
    page1 = client.get(f"{BASE}/districts/310115/streets", {"limit": 20}).json()
    page3 = client.get(
        f"{BASE}/districts/310115/streets", {"limit": 20, "offset": 40}
    ).json()

    assert len(page3["items"]) == 2
    assert {i["code"] for i in page1["items"]}.isdisjoint(
        i["code"] for i in page3["items"]
    )


def test_jurisdiction(client):
    response = client.get(f"{BASE}/jurisdiction", {"street": "310104014"})

    assert response.status_code == 200
    body = response.json()
    assert body["district"] == {"code": "310104", "name": "徐汇区"}
    assert body["police_station"]["name"] == "徐家汇派出所"
    assert body["police_station"]["parent"]["name"] == "上海市公安局徐汇分局"
    assert body["police_station"]["source"] == "reconstructed"
    assert body["service_center"]["name"] == "徐家汇街道社区事务受理服务中心"
    assert "address" in body["service_center"]


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        ("/jurisdiction", {}, "street"),
        ("/jurisdiction", {"street": "xujiahui"}, "street"),
        ("/jurisdiction", {"street": "310104999"}, "street"),
        ("/districts", {"limit": "1000"}, "limit"),
        ("/districts", {"limit": "abc"}, "limit"),
        ("/districts", {"offset": "-1"}, "offset"),
        ("/districts/31/streets", {}, "code"),
        ("/organisations", {"kind": "ministry"}, "kind"),
        ("/organisations", {"district": "x"}, "district"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(client, url, params, parameter):
    response = client.get(BASE + url, params)

    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert parameter in body["detail"] or "310104999" in body["detail"]


def test_unknown_codes_in_the_path_are_404(client):
    assert client.get(f"{BASE}/districts/310199/streets").status_code == 404
    response = client.get(f"{BASE}/organisations/NOPE")
    assert response.status_code == 404
    assert "NOPE" in response.json()["detail"]


def test_one_organisation(client):
    body = client.get(f"{BASE}/organisations/310115-FJ").json()

    assert body["name"] == "上海市公安局浦东分局"
    assert body["kind"] == "district_branch"
    assert body["parent"] == {"code": "SHPSB", "name": "上海市公安局"}
    assert body["district"] == {"code": "310115", "name": "浦东新区"}


def test_organisations_filtered(client):
    body = client.get(
        f"{BASE}/organisations", {"kind": "police_station", "district": "310104"}
    ).json()

    assert body["count"] == 14
    assert {item["kind"] for item in body["items"]} == {"police_station"}
    found = client.get(f"{BASE}/organisations", {"q": "徐家汇"}).json()
    assert {item["code"] for item in found["items"]} == {
        "310104014-PCS",
        "310104014-CTR",
    }


def test_street_options_fragment_for_htmx(client):
    response = client.get(
        f"{BASE}/street-options", {"source": "address_0", "address_0": "310104"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<option") == 15  # the prompt and 14 streets
    assert "徐家汇街道" in html
    assert "南京东路街道" not in html
    everything = client.get(f"{BASE}/street-options").content.decode()
    assert everything.count("<optgroup") == 16
