from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsMessage(models.Model):
    """One text message as handed to the SMS backend.

    The development backend keeps the message here instead of sending it
    (``huji sms outbox`` prints them); real providers record their id.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENT = "sent", _("已发送")
        STORED = "stored", _("已存入开发发件箱")
        FAILED = "failed", _("发送失败")

    phone = models.CharField(_("手机号码"), max_length=20)
    text = models.TextField(_("短信内容"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    backend = models.CharField(_("发送通道"), max_length=200, blank=True)
    provider_id = models.CharField(_("通道消息编号"), max_length=100, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信")
        verbose_name_plural = _("短信")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["phone", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.phone}: {self.text[:30]}"


class Message(models.Model):
    """A message in a user's in-platform message box (站内信)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    event = models.CharField(_("事件"), max_length=64)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
