"""Officers only ever see their jurisdiction: for every staff endpoint (API and
pages), a success for the station's (or branch's) staff and a 404 for the same
role in another district, on the same setup."""

import json

import pytest

from huji.accounts.tests.helpers import sign_in_staff
from huji.applications.constants import State
from huji.applications.tests import factories as f

API = "/api/v1/applications"


def reviewing(world):
    a = f.under_review(world)
    return a, world.officer, world.other_officer


def rejected(world):
    a = f.under_review(world)
    f.services.material_verdict_set(
        application=a,
        slot_key="id_card",
        verdict="rejected",
        reason_code="unclear",
        officer=world.officer,
    )
    return a, world.officer, world.other_officer


def accepted(route):
    def prepare(world):
        a = f.under_review(world, f.make_version(route=route))
        f.accept_all(a, world.officer)
        return a, world.officer, world.other_officer

    return prepare


def waiting(world):
    return f.submitted(world), world.officer, world.other_officer


def at_district(world):
    a = f.awaiting_district(world)
    return a, world.district_approver, world.other_district_approver


def pre_approved(world):
    return f.pre_approved(world), world.officer, world.other_officer


# (name, prepare, API method+path, API payload, page action, page form, state after)
ACTIONS = [
    ("claim", waiting, "claim", {}, {}, State.UNDER_REVIEW),
    ("release", reviewing, "release", {}, {}, State.SUBMITTED),
    (
        "verdict",
        reviewing,
        "materials/id_card/verdict",
        {"verdict": "accepted"},
        {"slot_key": "id_card", "verdict": "accepted"},
        State.UNDER_REVIEW,
    ),
    ("return", rejected, "return", {"items": []}, {}, State.CORRECTION_REQUESTED),
    (
        "forward",
        accepted("station_district"),
        "forward",
        {"note": "ok"},
        {"note": "ok"},
        State.AWAITING_DISTRICT,
    ),
    (
        "approve",
        at_district,
        "approve",
        {"note": "同意"},
        {"note": "同意"},
        State.PRE_APPROVED,
    ),
    (
        "send_back",
        at_district,
        "send-back",
        {"reason": "核实"},
        {"reason": "核实"},
        State.UNDER_REVIEW,
    ),
    (
        "outside_approval",
        reviewing,
        "outside-approval",
        {
            "authority": "市人保局",
            "document_number": "沪人社1号",
            "issued_on": "2026-01-05",
        },
        {
            "authority": "市人保局",
            "document_number": "沪人社1号",
            "issued_on": "2026-01-05",
        },
        State.UNDER_REVIEW,
    ),
    ("pre_approve", accepted("station"), "pre-approve", {}, {}, State.PRE_APPROVED),
    (
        "refuse",
        reviewing,
        "refuse",
        {"reasons": ["conditions_not_met"], "policy_basis": "第八条"},
        {"reasons": "conditions_not_met", "policy_basis": "第八条"},
        State.REFUSED,
    ),
    (
        "complete",
        pre_approved,
        "complete",
        {"originals_checked": ["居民身份证"]},
        {"originals": "居民身份证"},
        State.COMPLETED,
    ),
    (
        "refuse_at_window",
        pre_approved,
        "refuse-at-window",
        {"reasons": ["不一致"]},
        {"reason": "不一致"},
        State.REFUSED_AT_WINDOW,
    ),
]


def post_json(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


@pytest.mark.parametrize(
    "name,prepare,api_path,payload,_form,after", ACTIONS, ids=[a[0] for a in ACTIONS]
)
def test_api_action_in_scope_and_out_of_scope(
    world, client, name, prepare, api_path, payload, _form, after
):
    application, insider, outsider = prepare(world)
    url = f"{API}/staff/{application.number}/{api_path}"
    sign_in_staff(client, outsider)
    assert post_json(client, url, payload).status_code == 404
    application.refresh_from_db()
    before = application.state
    sign_in_staff(client, insider)
    response = post_json(client, url, payload)
    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert application.state == after
    assert response.json()["state"] == after
    assert before != after or name in ("verdict", "outside_approval")


@pytest.mark.parametrize(
    "name,prepare,_api,_payload,form,after", ACTIONS, ids=[a[0] for a in ACTIONS]
)
def test_page_action_in_scope_and_out_of_scope(
    world, client, name, prepare, _api, _payload, form, after
):
    application, insider, outsider = prepare(world)
    url = f"/staff/applications/{application.number}/do/{name}/"
    sign_in_staff(client, outsider)
    assert client.post(url, form).status_code == 404
    sign_in_staff(client, insider)
    response = client.post(url, form)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == after


# (label, method, url, what the insider's answer contains)
READS = [
    ("api detail", "get", f"{API}/staff/{{n}}", "{n}"),
    ("api timeline", "get", f"{API}/staff/{{n}}/timeline", '"state": "submitted"'),
    ("api reveal", "post", f"{API}/staff/{{n}}/reveal-id", "{id}"),
    ("page detail", "get", "/staff/applications/{n}/", "{n}"),
    ("page reveal", "post", "/staff/applications/{n}/reveal/", "{id}"),
]


@pytest.mark.parametrize("label,method,url,expected", READS, ids=[r[0] for r in READS])
def test_reads_in_scope_and_out_of_scope(world, client, label, method, url, expected):
    application = f.submitted(world)
    id_number = world.resident.person.id_number
    url = url.format(n=application.number)
    sign_in_staff(client, world.other_officer)
    assert getattr(client, method)(url).status_code == 404
    sign_in_staff(client, world.officer)
    response = getattr(client, method)(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert expected.format(n=application.number, id=id_number) in content


def test_api_queue_lists_only_the_jurisdiction(world, client):
    application = f.submitted(world)
    sign_in_staff(client, world.officer)
    numbers = [i["number"] for i in client.get(f"{API}/queue").json()["items"]]
    assert numbers == [application.number]
    sign_in_staff(client, world.other_officer)
    assert client.get(f"{API}/queue").json()["items"] == []


def test_page_queue_lists_only_the_jurisdiction(world, client):
    application = f.submitted(world)
    sign_in_staff(client, world.officer)
    assert application.number in client.get("/staff/").content.decode()
    sign_in_staff(client, world.other_officer)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert application.number not in response.content.decode()


def test_district_approver_sees_the_branch_but_not_another_district(world, client):
    application = f.awaiting_district(world)
    sign_in_staff(client, world.district_approver)
    items = client.get(f"{API}/queue").json()["items"]
    assert [i["number"] for i in items] == [application.number]
    sign_in_staff(client, world.other_district_approver)
    assert client.get(f"{API}/queue").json()["items"] == []


@pytest.mark.parametrize("url", [f"{API}/statistics", "/staff/statistics/"])
def test_statistics_count_only_the_jurisdiction(world, client, url):
    f.submitted(world)
    sign_in_staff(client, world.head)
    inside = client.get(url)
    sign_in_staff(client, world.other_head)
    outside = client.get(url)
    assert inside.status_code == outside.status_code == 200
    if url.startswith(API):
        assert inside.json()["totals"]["submitted"] == 1
        assert outside.json()["totals"]["submitted"] == 0
    else:
        assert inside.context["s"]["totals"]["submitted"] == 1
        assert outside.context["s"]["totals"]["submitted"] == 0


@pytest.mark.parametrize("url", [f"{API}/statistics", "/staff/statistics/"])
def test_statistics_are_for_heads_and_above(world, client, url):
    sign_in_staff(client, world.officer)
    assert client.get(url).status_code == 403


def test_residents_and_anonymous_get_no_staff_api(world, client):
    from huji.accounts.tests.helpers import sign_in_resident

    application = f.submitted(world)
    assert client.get(f"{API}/staff/{application.number}").status_code == 401
    sign_in_resident(client, world.resident)
    assert client.get(f"{API}/staff/{application.number}").status_code == 401
    assert client.get(f"{API}/queue").status_code == 401
