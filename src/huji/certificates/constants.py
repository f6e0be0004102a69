from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    RESIDENCE_REGISTRATION = "jzdj", _("居住登记凭证")
    RESIDENCE_PERMIT = "jzz", _("上海市居住证")


class CertificateStatus(models.TextChoices):
    """The status recorded on the certificate row; expiry is derived from dates."""

    VALID = "valid", _("有效")
    LOST = "lost", _("已挂失")
    REVOKED = "revoked", _("已作废")


class Verdict(models.TextChoices):
    """What the public verification page says."""

    VALID = "valid", _("真实有效")
    EXPIRED = "expired", _("已过期")
    LOST = "lost", _("已挂失")
    REVOKED = "revoked", _("已作废")
    NOT_GENUINE = "not_genuine", _("非本平台签发或已被篡改")


ISSUING_AUTHORITY = _("上海市公安局")
PAYLOAD_VERSION = 1
