"""The public catalog API."""

import pytest

pytestmark = pytest.mark.django_db


def test_categories_list_13_household_categories_and_the_residence_one(client):
    data = client.get("/api/v1/catalog/categories").json()
    household = [c for c in data["items"] if c["family"] == "household"]
    residence = [c for c in data["items"] if c["family"] == "residence"]
    assert len(household) == 13
    assert sum(c["items_count"] for c in household) == 79
    assert [(c["code"], c["items_count"]) for c in residence] == [("JZ", 8)]


def test_items_filter_by_category_online_and_text(client):
    data = client.get("/api/v1/catalog/items", {"category": "HJ09"}).json()
    assert data["count"] == 5
    assert {i["category"] for i in data["items"]} == {"HJ09"}

    data = client.get(
        "/api/v1/catalog/items", {"category": "JZ", "online": "true"}
    ).json()
    assert [i["code"] for i in data["items"]] == ["JZ-01", "JZ-03"]

    data = client.get("/api/v1/catalog/items", {"q": "投靠", "limit": 100}).json()
    codes = {i["code"] for i in data["items"]}
    assert {"HJ09-01", "HJ09-02", "HJ09-03"} <= codes
    assert not any(c.startswith("JZ") for c in codes)


def test_items_are_paginated(client):
    data = client.get("/api/v1/catalog/items", {"limit": 10, "offset": 80}).json()
    assert data["count"] == 87
    assert len(data["items"]) == 7
    assert client.get("/api/v1/catalog/items", {"limit": 500}).status_code == 422


def test_item_detail_has_form_materials_rules_and_policy(client):
    data = client.get("/api/v1/catalog/items/HJ10-01").json()
    assert data["route"] == "outside_approval"
    assert data["outside_authority"] == "市人社局"
    assert data["definition"]["police_route"] == "station"
    names = [f["name"] for f in data["form"]["fields"]]
    assert "family_members" in names and "destination" in names
    rules = {r["material"]: r["required"] for r in data["material_rules"]}
    assert rules["community_public_proof"] == {
        "field": "destination",
        "equals": "community_public",
    }
    assert data["policy_basis"][0]["article"] == "第十八条"
    assert data["time_limits"]["review"] == 3


def test_item_detail_of_a_given_version_and_404(client):
    assert (
        client.get("/api/v1/catalog/items/HJ01-01", {"version": 1}).json()["version"]
        == 1
    )
    assert (
        client.get("/api/v1/catalog/items/HJ01-01", {"version": 9}).status_code == 404
    )
    assert client.get("/api/v1/catalog/items/NOPE").status_code == 404


def test_checklist_for_answers(client):
    response = client.post(
        "/api/v1/catalog/items/HJ02-03/checklist",
        {"answers": {"kin_relation": "spouse"}},
        content_type="application/json",
    )
    data = response.json()
    slots = [m["slot"] for m in data["materials"]]
    assert "marriage_certificate" in slots
    assert "subject_name" in data["errors"]


def test_catalog_endpoints_are_in_the_openapi_description(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/catalog/categories",
        "/api/v1/catalog/items",
        "/api/v1/catalog/items/{code}",
        "/api/v1/catalog/items/{code}/checklist",
    } <= set(paths)
