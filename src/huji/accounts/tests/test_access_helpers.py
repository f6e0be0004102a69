import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from huji.accounts.decorators import staff_required
from huji.accounts.tests.factories import StaffFactory
from huji.accounts.tests.helpers import sign_in_staff

pytestmark = pytest.mark.django_db


def test_staff_without_second_factor_is_sent_to_sign_in(client):
    officer = StaffFactory()
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    session_user = client.get("/healthz").wsgi_request.user

    request = RequestFactory().get("/staff/queue/")
    request.user = session_user
    response = staff_required(lambda r: HttpResponse("ok"))(request)

    assert response.status_code == 302
    assert response.url.startswith("/staff/sign-in/")


def test_staff_with_second_factor_passes(client):
    officer = sign_in_staff(client, StaffFactory())
    request = RequestFactory().get("/staff/queue/")
    request.user = client.get("/healthz").wsgi_request.user

    response = staff_required(lambda r: HttpResponse("ok"))(request)

    assert request.user == officer
    assert response.status_code == 200
