import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huji.materials.constants import Domain, MaterialKind


class MaterialUpload(models.Model):
    """One accepted file: a re-encoded photo (or a PDF) in private storage.

    The row is created by the resident's upload and *claimed* when a record (an
    application's material slot) takes it: from then on the handling organisation
    decides which staff may open it. Unclaimed uploads are removed after a while.
    """

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="material_uploads",
    )
    material_kind = models.CharField(
        _("材料类型"), max_length=16, choices=MaterialKind.choices
    )
    slot_key = models.CharField(_("材料项"), max_length=64, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("内容类型"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    dhash = models.CharField(_("感知哈希"), max_length=16, blank=True)
    width = models.PositiveIntegerField(_("宽"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高"), null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(_("页数"), default=1)
    storage_key = models.CharField(_("存储键"), max_length=255)
    thumbnail_key = models.CharField(_("缩略图存储键"), max_length=255, blank=True)
    page_keys = models.JSONField(_("页面图像存储键"), default=list, blank=True)
    verdict = models.JSONField(_("清晰完整检查结果"), default=dict, blank=True)
    organisation = models.ForeignKey(
        "organizations.Organisation",
        verbose_name=_("办理机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    domain = models.CharField(
        _("业务领域"), max_length=16, choices=Domain.choices, blank=True
    )
    claimed_at = models.DateTimeField(_("关联时间"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("材料文件")
        verbose_name_plural = _("材料文件")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["uploaded_by", "created_at"]),
            models.Index(fields=["claimed_at", "created_at"]),
            models.Index(fields=["organisation", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(claimed_at__isnull=True) | Q(organisation__isnull=False),
                name="material_claimed_has_organisation",
            ),
            models.CheckConstraint(
                condition=Q(material_kind__in=MaterialKind.values),
                name="material_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_material_kind_display()} {self.public_id}"

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def problems(self) -> list[dict]:
        return self.verdict.get("problems", [])

    @property
    def is_clear(self) -> bool:
        return not self.problems

    def all_keys(self) -> list[str]:
        keys = [self.storage_key, self.thumbnail_key, *self.page_keys]
        return [key for key in keys if key]
