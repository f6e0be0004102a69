from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huji.accounts.constants import AccountKind, IdentityLevel, Sex, StaffRole


class Person(models.Model):
    """One real person, identified by the resident ID number.

    A person may hold a resident account, appear in someone else's application
    (a newborn, a spouse, accompanying family members), or both: one record each.
    """

    # Null for a newborn until the station issues the number at registration.
    id_number = models.CharField(
        _("公民身份号码"), max_length=18, unique=True, null=True, blank=True
    )
    name = models.CharField(_("姓名"), max_length=64)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        if not self.id_number:
            return ""
        return self.id_number[:4] + "*" * 10 + self.id_number[-4:]


class User(AbstractUser):
    """A sign-in: a resident (mobile + SMS code) or a staff member (password + TOTP)."""

    kind = models.CharField(_("账户类型"), max_length=16, choices=AccountKind.choices)
    mobile = models.CharField(
        _("手机号码"), max_length=11, unique=True, null=True, blank=True
    )
    person = models.OneToOneField(
        Person,
        verbose_name=_("实名人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
    )
    identity_level = models.CharField(
        _("身份核验级别"),
        max_length=16,
        choices=IdentityLevel.choices,
        default=IdentityLevel.MOBILE,
    )
    identity_verified_at = models.DateTimeField(_("实名时间"), null=True, blank=True)
    organisation = models.ForeignKey(
        "organizations.Organisation",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    role = models.CharField(
        _("岗位角色"), max_length=32, choices=StaffRole.choices, blank=True
    )
    # Bumped to end every session of the account at once ("sign out everywhere").
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("账户")
        verbose_name_plural = _("账户")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=AccountKind.RESIDENT, mobile__isnull=False)
                | Q(kind=AccountKind.STAFF, organisation__isnull=False) & ~Q(role=""),
                name="account_kind_has_its_fields",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    @property
    def is_resident(self) -> bool:
        return self.kind == AccountKind.RESIDENT

    @property
    def is_staff_member(self) -> bool:
        return self.kind == AccountKind.STAFF

    def get_session_auth_hash(self) -> str:
        # Mixing the generation in invalidates every existing session when it bumps.
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "huji.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()


class OneTimeCode(models.Model):
    """A six-digit code sent by SMS. Only a keyed hash of the code is stored."""

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", _("登录")

    phone = models.CharField(_("手机号码"), max_length=11)
    purpose = models.CharField(
        _("用途"), max_length=16, choices=Purpose.choices, default=Purpose.SIGN_IN
    )
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("请求 IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [
            models.Index(fields=["phone", "purpose", "created_at"]),
            models.Index(fields=["ip_address", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.phone} {self.purpose}"
