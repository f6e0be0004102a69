import datetime

import pytest

from huji.accounts.constants import IdentityLevel, Sex
from huji.accounts.models import Person, User
from huji.accounts.tests.factories import PersonFactory, ResidentFactory, make_id_number
from huji.accounts.tests.helpers import sign_in_resident
from huji.audit.models import AuditEvent
from huji.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(client):
    return sign_in_resident(client, ResidentFactory(person=None, mobile="13700000001"))


def test_real_name_creates_person_with_sex_and_birth_date_from_number(client, newcomer):
    number = make_id_number(birth=datetime.date(1992, 7, 8), seq=4, male=False)
    response = client.post(
        "/me/real-name/", {"name": "李 娜", "id_number": number.lower()}
    )

    assert response.status_code == 302
    assert response.url == "/me/"
    newcomer.refresh_from_db()
    person = newcomer.person
    assert person.name == "李娜"
    assert person.id_number == number
    assert person.sex == Sex.FEMALE
    assert person.birth_date == datetime.date(1992, 7, 8)
    assert person.phone == "13700000001"
    assert newcomer.identity_level == IdentityLevel.ID_NUMBER
    assert newcomer.identity_verified_at is not None
    event = AuditEvent.objects.get(action="account:real_name")
    assert event.actor == newcomer
    assert event.changes["id_number"] == number[:4] + "*" * 10 + number[-4:]
    assert Message.objects.get(recipient=newcomer).event == "real_name_done"


def test_one_account_per_id_number(client, newcomer):
    taken = ResidentFactory()
    response = client.post(
        "/me/real-name/",
        {"name": taken.person.name, "id_number": taken.person.id_number},
    )
    assert response.status_code == 200
    assert "已被另一个账户实名认证" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.person is None
    assert not AuditEvent.objects.filter(action="account:real_name").exists()


def test_known_person_without_account_is_linked_when_name_matches(client, newcomer):
    person = PersonFactory(name="王小明")
    response = client.post(
        "/me/real-name/", {"name": "王小明", "id_number": person.id_number}
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.person == person
    assert Person.objects.count() == 1


def test_known_person_with_another_name_is_refused(client, newcomer):
    person = PersonFactory(name="王小明")
    response = client.post(
        "/me/real-name/", {"name": "王大明", "id_number": person.id_number}
    )
    assert "姓名与公民身份号码登记的姓名不一致" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.person is None


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("31010419900101003", "应为18位"),
        (make_id_number()[:-1] + "0", "校验码不正确"),
        (make_id_number(region="990000"), "地区码"),
    ],
)
def test_bad_numbers_are_explained_next_to_the_field(client, newcomer, number, message):
    if number.endswith("0") and number == make_id_number():
        pytest.skip("the valid number happens to end in 0")
    response = client.post("/me/real-name/", {"name": "张三", "id_number": number})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "field--error" in page
    assert not Person.objects.exists()


def test_verified_pages_send_unverified_residents_to_real_name(client, newcomer):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from huji.accounts.decorators import resident_required

    request = RequestFactory().get("/me/apply/")
    request.user = newcomer
    response = resident_required(verified=True)(lambda r: HttpResponse("ok"))(request)
    assert response.url.startswith("/me/real-name/")


def test_already_real_named_resident_is_sent_on(client):
    resident = sign_in_resident(client, ResidentFactory())
    response = client.get("/me/real-name/")
    assert response.status_code == 302
    assert User.objects.get(pk=resident.pk).person == resident.person


def test_home_prompts_for_real_name_and_counts_unread(client, newcomer):
    from huji.notifications.services import notification_send

    notification_send(
        recipient=newcomer, event="test", context={"name": "x"}, sms=False
    )
    page = client.get("/me/").content.decode()
    assert "您还没有实名认证" in page
    assert "1 条未读" in page


def test_home_greets_real_named_resident(client):
    resident = sign_in_resident(client, ResidentFactory())
    page = client.get("/me/").content.decode()
    assert f"{resident.person.name}，您好" in page
    assert "您还没有实名认证" not in page
