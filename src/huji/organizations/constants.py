from django.db import models
from django.utils.translation import gettext_lazy as _


class DivisionLevel(models.TextChoices):
    DISTRICT = "district", _("区")
    STREET = "street", _("街道/镇")


class OrganisationKind(models.TextChoices):
    CITY_BUREAU = "city_bureau", _("市公安局")
    POPULATION_OFFICE = "population_office", _("市公安局人口管理办公室")
    DISTRICT_BRANCH = "district_branch", _("区公安分局")
    POLICE_STATION = "police_station", _("派出所")
    SERVICE_CENTER = "service_center", _("社区事务受理服务中心")
    CARD_PRODUCTION = "card_production", _("制证中心")
    POSTAL = "postal", _("邮政投递")


class DataSource(models.TextChoices):
    OFFICIAL = "official", _("公开资料")
    RECONSTRUCTED = "reconstructed", _("推定重建")
