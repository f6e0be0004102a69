from django.db import models
from django.utils.translation import gettext_lazy as _


class Family(models.TextChoices):
    HOUSEHOLD = "household", _("户籍业务")
    RESIDENCE = "residence", _("居住登记与居住证")


class Route(models.TextChoices):
    STATION = "station", _("派出所审批")
    STATION_DISTRICT = "station_district", _("派出所受理，区公安分局审批")
    STATION_DISTRICT_CITY = (
        "station_district_city",
        _("派出所受理，区公安分局审核，市公安局审批"),
    )
    OUTSIDE_APPROVAL = "outside_approval", _("凭外部主管部门批准文件办理")


class FieldType(models.TextChoices):
    TEXT = "text", _("文字")
    TEXTAREA = "textarea", _("多行文字")
    DATE = "date", _("日期")
    CHOICE = "choice", _("选择")
    BOOLEAN = "boolean", _("是/否")
    ID_NUMBER = "id_number", _("公民身份号码")
    PHONE = "phone", _("手机号码")
    ADDRESS = "address", _("上海地址")
    RELATION = "relation", _("与申请人关系")
    FAMILY_MEMBERS = "family_members", _("随迁家属")
    NUMBER = "number", _("数字")


class MaterialKind(models.TextChoices):
    ID_CARD = "id_card", _("身份证")
    HUKOU_PAGE = "hukou_page", _("户口簿页")
    CERTIFICATE = "certificate", _("证书")
    DOCUMENT = "document", _("文书")
    PHOTO = "photo", _("照片")


class Applicant(models.TextChoices):
    SELF = "self", _("本人申请")
    FAMILY = "family", _("为家庭成员申请")
    NEWBORN = "newborn", _("为新生儿申请")


# Relations to the applicant, used by fields of type ``relation``.
RELATIONS = [
    ("spouse", _("配偶")),
    ("child", _("子女")),
    ("father", _("父亲")),
    ("mother", _("母亲")),
    ("grandparent", _("（外）祖父母")),
    ("grandchild", _("（外）孙子女")),
    ("sibling", _("兄弟姐妹")),
    ("other", _("其他")),
]

# Time-limit keys other apps read from ``ItemVersion.time_limits``.
TIME_LIMIT_KEYS = (
    "review",
    "district",
    "city",
    "visit_valid_days",
    "confirm",
    "production",
)
