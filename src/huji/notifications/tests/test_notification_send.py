import pytest
from django.core.management import call_command

from huji.accounts.tests.factories import ResidentFactory, StaffFactory
from huji.notifications.models import Message, SmsMessage
from huji.notifications.services import notification_send

pytestmark = pytest.mark.django_db


def test_notification_lands_in_box_and_outbox(django_capture_on_commit_callbacks):
    resident = ResidentFactory(mobile="13912345678")
    with django_capture_on_commit_callbacks(execute=True):
        message = notification_send(
            recipient=resident, event="test", context={"name": "张三"}, link="/me/"
        )

    assert message.subject == "测试通知"
    assert message.body == "张三，这是一条测试消息。"
    assert message.link == "/me/"
    assert Message.objects.get(recipient=resident) == message
    sms = SmsMessage.objects.get(phone="13912345678")
    assert "张三，这是一条测试消息。" in sms.text
    assert sms.status == SmsMessage.Status.STORED


def test_sms_waits_for_commit(django_capture_on_commit_callbacks):
    resident = ResidentFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_send(recipient=resident, event="test", context={"name": "x"})
    assert not SmsMessage.objects.exists()
    assert len(callbacks) == 1


def test_no_sms_when_asked_or_without_mobile(django_capture_on_commit_callbacks):
    resident = ResidentFactory()
    officer = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=resident, event="test", context={}, sms=False)
        notification_send(recipient=officer, event="test", context={})
    assert Message.objects.count() == 2
    assert not SmsMessage.objects.exists()


def test_outbox_command_prints_newest_first(capsys):
    SmsMessage.objects.create(phone="13900000001", text="first")
    SmsMessage.objects.create(phone="13900000001", text="second")
    SmsMessage.objects.create(phone="13900000002", text="other")

    call_command("sms", "outbox", "--phone", "13900000001", "--last", "5")
    lines = capsys.readouterr().out.strip().splitlines()

    assert [line.split()[-1] for line in lines] == ["second", "first"]
