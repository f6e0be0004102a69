from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    RESIDENT = "resident", _("居民")
    STAFF = "staff", _("工作人员")


class StaffRole(models.TextChoices):
    STATION_OFFICER = "station_officer", _("户籍民警")
    STATION_HEAD = "station_head", _("所领导")
    DISTRICT_APPROVER = "district_approver", _("分局户政")
    CITY_APPROVER = "city_approver", _("市局人口办")
    CENTER_CLERK = "center_clerk", _("受理中心")
    CARD_PRODUCTION = "card_production", _("制证")
    POSTAL_COURIER = "postal_courier", _("邮政")
    AUDITOR = "auditor", _("审计")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")


class IdentityLevel(models.TextChoices):
    """How far an account's identity has been proven, weakest first."""

    MOBILE = "mobile", _("手机号已验证")
    ID_NUMBER = "id_number", _("已实名（身份证号码核验）")
    FACE_MATCH = "face_match", _("人脸比对已通过")
    IN_PERSON = "in_person", _("窗口现场核验")


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")
