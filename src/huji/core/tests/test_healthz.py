from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_reports_database_and_queue(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["tasks"] == {"ok": True, "waiting": 0, "failed": 0}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405
