from django.db import models
from django.utils.translation import gettext_lazy as _

from huji.organizations.constants import DataSource, DivisionLevel, OrganisationKind


class Division(models.Model):
    """An administrative division of Shanghai: a district or a street/town.

    A street or town is the unit of jurisdiction: it resolves to one police station
    and one community affairs acceptance service center.
    """

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=16, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    police_station = models.ForeignKey(
        "Organisation",
        verbose_name=_("管辖派出所"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="station_divisions",
    )
    service_center = models.ForeignKey(
        "Organisation",
        verbose_name=_("社区事务受理服务中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="center_divisions",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A unit of the bureau or a partner: a tree from the city bureau down."""

    code = models.CharField(_("机构代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    district = models.ForeignKey(
        Division,
        verbose_name=_("所在区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        limit_choices_to={"level": DivisionLevel.DISTRICT},
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    opening_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    source = models.CharField(
        _("数据来源"),
        max_length=16,
        choices=DataSource.choices,
        default=DataSource.OFFICIAL,
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "district"])]

    def __str__(self) -> str:
        return self.name
