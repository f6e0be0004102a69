"""``schedule_changed`` is sent after commit with the right years, from the
services, the management command (test_command.py) and the Django admin."""

import pytest

from huji.accounts.constants import StaffRole
from huji.accounts.tests.factories import StaffFactory
from huji.accounts.tests.helpers import sign_in_staff
from huji.audit.models import AuditEvent
from huji.workdays import services
from huji.workdays.models import AnnouncedYear, SpecialDay
from huji.workdays.tests.conftest import SCHEDULE_2027, d

pytestmark = pytest.mark.django_db


def test_not_sent_before_commit(django_capture_on_commit_callbacks, schedule_signals):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.schedule_announce(year=2027, days=SCHEDULE_2027)
    assert schedule_signals == []
    for callback in callbacks:
        callback()
    assert schedule_signals == [{2027}]


@pytest.mark.django_db(transaction=True)
def test_not_sent_when_the_transaction_rolls_back(schedule_signals):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.schedule_announce(year=2027, days=SCHEDULE_2027)
        raise RuntimeError
    assert schedule_signals == []
    assert services.add_working_days(d("2027-02-04"), 1).provisional is True


@pytest.fixture
def admin_client(client):
    user = StaffFactory(role=StaffRole.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    sign_in_staff(client, user)
    client.user = user
    return client


def test_admin_adds_a_year(
    admin_client, django_capture_on_commit_callbacks, schedule_signals
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/workdays/announcedyear/add/",
            {"year": "2027", "announced_on": "2026-11-20", "source": "测试通知"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AnnouncedYear.objects.get(year=2027).entered_by == admin_client.user
    assert schedule_signals == [{2027}]
    # Announced with no special days yet: 元旦 is a working day, not provisional.
    info = services.day_info(d("2027-01-01"))
    assert (info.working, info.provisional) == (True, False)
    assert AuditEvent.objects.filter(action="workdays:admin_edit_year").exists()


def test_admin_edits_a_day(
    admin_client, django_capture_on_commit_callbacks, schedule_signals
):
    services.schedule_announce(year=2027, days=SCHEDULE_2027)
    day = SpecialDay.objects.get(date=d("2027-02-20"))
    assert services.is_working_day(d("2027-02-20")) is True
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/workdays/specialday/{day.pk}/change/",
            {"date": "2027-02-27", "kind": "makeup_workday", "name": "春节"},
        )
    assert response.status_code == 302
    assert schedule_signals[-1] == {2027}
    assert services.is_working_day(d("2027-02-20")) is False
    assert services.is_working_day(d("2027-02-27")) is True
    event = AuditEvent.objects.get(action="workdays:admin_edit_day")
    assert event.changes["before"] == "2027-02-20"


def test_admin_moving_a_day_across_years_signals_both(
    admin_client, django_capture_on_commit_callbacks, schedule_signals
):
    day = SpecialDay.objects.get(date=d("2026-02-28"))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/admin/workdays/specialday/{day.pk}/change/",
            {"date": "2027-02-27", "kind": "makeup_workday", "name": "春节"},
        )
    assert schedule_signals == [{2026, 2027}]


def test_admin_refuses_a_weekday_makeup_day(admin_client, schedule_signals):
    response = admin_client.post(
        "/admin/workdays/specialday/add/",
        {"date": "2027-03-03", "kind": "makeup_workday", "name": "x"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert "周六或周日" in response.content.decode()
    assert not SpecialDay.objects.filter(date=d("2027-03-03")).exists()


def test_admin_deletes_a_year(
    admin_client, django_capture_on_commit_callbacks, schedule_signals
):
    services.schedule_announce(year=2027, days=SCHEDULE_2027)
    announced = AnnouncedYear.objects.get(year=2027)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/workdays/announcedyear/{announced.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert schedule_signals == [{2027}]
    assert not SpecialDay.objects.filter(year=2027).exists()
    assert services.add_working_days(d("2027-02-04"), 1).provisional is True


def test_admin_pages_render(admin_client):
    announced = AnnouncedYear.objects.get(year=2025)
    for url in [
        "/admin/workdays/announcedyear/",
        f"/admin/workdays/announcedyear/{announced.pk}/change/",
        "/admin/workdays/specialday/?year=2025",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    page = admin_client.get(f"/admin/workdays/announcedyear/{announced.pk}/change/")
    assert "2025-10-11" in page.content.decode()


def test_staff_without_the_permission_cannot_open_the_admin(client):
    officer = StaffFactory(role=StaffRole.STATION_OFFICER, is_staff=False)
    sign_in_staff(client, officer)
    response = client.get("/admin/workdays/announcedyear/")
    assert response.status_code == 302  # to the admin login


def test_admin_year_list_counts_days_without_a_query_per_row(
    admin_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        page = admin_client.get("/admin/workdays/announcedyear/")
    assert page.status_code == 200
    # 2025: 元旦 1, 春节 8 + 2 make-up, 清明 3, 劳动节 5 + 1, 端午 3, 国庆/中秋 8 + 2.
    assert page.context["cl"].result_list.get(year=2025)._day_count == 33
