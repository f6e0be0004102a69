"""The public JSON API under /api/v1/workdays/."""

import pytest

from huji.workdays import services
from huji.workdays.tests.conftest import SCHEDULE_2027

pytestmark = pytest.mark.django_db

BASE = "/api/v1/workdays"


def test_add_national_day_2025(client):
    response = client.get(f"{BASE}/add", {"start": "2025-09-30", "days": "6"})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2025-09-30",
        "days": 6,
        "date": "2025-10-15",
        "provisional": False,
    }


def test_add_into_2027_is_provisional_until_announced(client):
    response = client.get(f"{BASE}/add", {"start": "2027-02-04", "days": "1"})
    assert response.json() == {
        "start": "2027-02-04",
        "days": 1,
        "date": "2027-02-11",
        "provisional": True,
    }
    services.schedule_announce(year=2027, days=SCHEDULE_2027)
    response = client.get(f"{BASE}/add", {"start": "2027-02-04", "days": "1"})
    assert response.json()["date"] == "2027-02-15"
    assert response.json()["provisional"] is False


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"days": "6"}, "start"),
        ({"start": "", "days": "6"}, "start"),
        ({"start": "2025-13-01", "days": "6"}, "start"),
        ({"start": "2025-02-30", "days": "6"}, "start"),
        ({"start": "20250930", "days": "6"}, "start"),
        ({"start": "1999-01-04", "days": "6"}, "start"),
        ({"start": "2025-09-30"}, "days"),
        ({"start": "2025-09-30", "days": "abc"}, "days"),
        ({"start": "2025-09-30", "days": "1.5"}, "days"),
        ({"start": "2025-09-30", "days": "-1"}, "days"),
        ({"start": "2025-09-30", "days": "999999999"}, "days"),
    ],
)
def test_add_bad_input_is_400_naming_the_parameter(client, params, parameter):
    response = client.get(f"{BASE}/add", params)
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert parameter in body["detail"]


def test_between(client):
    response = client.get(
        f"{BASE}/between", {"start": "2026-02-13", "end": "2026-02-27"}
    )
    assert response.json() == {
        "start": "2026-02-13",
        "end": "2026-02-27",
        "working_days": 5,
        "provisional": False,
    }
    response = client.get(
        f"{BASE}/between", {"start": "2026-12-30", "end": "2027-01-05"}
    )
    assert response.json()["provisional"] is True


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"end": "2026-02-27"}, "start"),
        ({"start": "2026-02-13", "end": "soon"}, "end"),
    ],
)
def test_between_bad_input(client, params, parameter):
    response = client.get(f"{BASE}/between", params)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_day(client):
    body = client.get(f"{BASE}/day/2025-10-11").json()
    assert body == {
        "date": "2025-10-11",
        "working": True,
        "kind": "makeup_workday",
        "name": "国庆节",
        "provisional": False,
        "source": "announced",
    }
    body = client.get(f"{BASE}/day/2026-02-17").json()
    assert (body["working"], body["name"]) == (False, "春节")
    body = client.get(f"{BASE}/day/2027-10-01").json()
    assert (body["working"], body["provisional"]) == (False, True)


@pytest.mark.parametrize("value", ["2025-10-32", "today", "2101-01-01"])
def test_day_bad_input(client, value):
    response = client.get(f"{BASE}/day/{value}")
    assert response.status_code == 400
    assert response.json()["parameter"] == "date"


def test_year_2025_announced(client):
    body = client.get(f"{BASE}/year/2025").json()
    assert body["provisional"] is False
    assert body["source"] == "announced"
    makeup = [d["date"] for d in body["makeup_workdays"]]
    assert "2025-09-28" in makeup and "2025-10-11" in makeup
    holidays = {d["date"]: d["name"] for d in body["holidays"]}
    assert holidays["2025-10-08"] == "国庆节"


def test_year_2027_provisional_then_announced(client):
    body = client.get(f"{BASE}/year/2027").json()
    assert (body["provisional"], body["source"], body["makeup_workdays"]) == (
        True,
        "provisional",
        [],
    )
    assert {"date": "2027-02-09", "name": "春节（补假）"} in body["holidays"]
    services.schedule_announce(year=2027, days=SCHEDULE_2027, source="测试通知")
    body = client.get(f"{BASE}/year/2027").json()
    assert (body["provisional"], body["notice"]) == (False, "测试通知")
    assert body["makeup_workdays"] == [{"date": "2027-02-20", "name": "春节"}]


@pytest.mark.parametrize("value", ["abc", "1999", "2101", "-5"])
def test_year_bad_input(client, value):
    response = client.get(f"{BASE}/year/{value}")
    assert response.status_code == 400
    assert response.json()["parameter"] == "year"


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    add = paths["/api/v1/workdays/add"]["get"]
    assert {p["name"] for p in add["parameters"]} == {"start", "days"}
    assert {"200", "400"} <= set(add["responses"])
    assert "/api/v1/workdays/year/{year}" in paths
