from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huji.certificates.constants import CertificateKind, CertificateStatus


class Certificate(models.Model):
    """An issued electronic certificate: its signed QR payload and its PDF.

    ``subject`` holds the essential fields printed on the document (name, ID number,
    address, …). The QR carries a signed payload with masked values and a digest of
    ``subject``; verification checks the signature and then this row's status.
    """

    kind = models.CharField(
        _("证照类型"), max_length=8, choices=CertificateKind.choices
    )
    number = models.CharField(_("证照编号"), max_length=32, unique=True)
    person = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("持证人"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    subject = models.JSONField(_("证照内容"), default=dict)
    issuer = models.CharField(_("签发机关"), max_length=128)
    issued_at = models.DateTimeField(_("签发时间"))
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    token = models.TextField(_("签名二维码内容"))
    pdf_key = models.CharField(_("PDF 存储键"), max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("电子证照")
        verbose_name_plural = _("电子证照")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["person", "kind", "issued_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
