from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from huji.catalog.constants import Family, Route


class Category(models.Model):
    code = models.CharField(_("类别编码"), max_length=16, unique=True)
    name = models.CharField(_("类别名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=128, blank=True)
    family = models.CharField(_("业务大类"), max_length=16, choices=Family.choices)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("事项类别")
        verbose_name_plural = _("事项类别")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Item(models.Model):
    """A business item (事项). Its content lives in immutable ``ItemVersion`` rows."""

    code = models.CharField(_("事项编码"), max_length=16, unique=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("类别"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    current_version = models.ForeignKey(
        "ItemVersion",
        verbose_name=_("当前版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    # Denormalised from the current version: name, English name, keywords, code.
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    # Draft definition an administrator edits before publishing (not yet in force).
    draft_definition = models.JSONField(_("草稿定义"), null=True, blank=True)

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        ordering = ["category__order", "order", "code"]
        indexes = [models.Index(fields=["category", "is_active"])]

    def __str__(self) -> str:
        name = self.current_version.name if self.current_version_id else ""
        return f"{self.code} {name}".strip()


class ItemVersion(models.Model):
    """One published version of an item. Immutable once saved: an application keeps
    the version it was filed under, and a change is a new version."""

    item = models.ForeignKey(
        Item, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("事项名称"), max_length=128)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    online = models.BooleanField(_("可网上办理"), default=True)
    route = models.CharField(_("审批路径"), max_length=32, choices=Route.choices)
    outside_authority = models.CharField(_("外部审批部门"), max_length=64, blank=True)
    time_limits = models.JSONField(_("办理时限（工作日）"), default=dict)
    fee_yuan = models.DecimalField(
        _("收费（元）"), max_digits=8, decimal_places=2, default=0
    )
    fee_note = models.CharField(_("收费说明"), max_length=200, blank=True)
    definition = models.JSONField(_("事项定义"), default=dict)
    # sha256 of the canonical source dict: loading unchanged data is a no-op.
    digest = models.CharField(max_length=64, editable=False, blank=True)

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "number"], name="catalog_itemversion_item_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.number} {self.name}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("已发布的事项版本不可修改，请发布新版本。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("已发布的事项版本不可删除。"))

    # Convenience accessors over the definition.
    @property
    def form_fields(self) -> list[dict]:
        return (self.definition.get("form") or {}).get("fields") or []

    @property
    def materials(self) -> list[dict]:
        return self.definition.get("materials") or []

    @property
    def policy_basis(self) -> list[dict]:
        return self.definition.get("policy_basis") or []
