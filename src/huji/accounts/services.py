"""Account writes: residents' SMS sign-in and real-name authentication, staff
TOTP enrolment, sign out everywhere, identity levels. Views, the API and commands
all call these."""

import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from huji.accounts.constants import AccountKind, IdentityLevel, StaffRole
from huji.accounts.idnumbers import mask_id_number, parse_id_number
from huji.accounts.models import OneTimeCode, Person, User
from huji.audit.services import audit_record
from huji.notifications.services import notification_send, sms_send

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Stronger proofs are never overwritten by weaker ones.
LEVEL_ORDER = [
    IdentityLevel.MOBILE,
    IdentityLevel.ID_NUMBER,
    IdentityLevel.FACE_MATCH,
    IdentityLevel.IN_PERSON,
]
# Roles that meet residents at a counter and may confirm who they are.
COUNTER_ROLES = {
    StaffRole.STATION_OFFICER,
    StaffRole.STATION_HEAD,
    StaffRole.CENTER_CLERK,
}


def normalise_mobile(value: str) -> str:
    """Accept spaces, dashes and a +86 / 0086 prefix; return 11 digits or raise."""
    digits = re.sub(r"[\s-]", "", value or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if not MOBILE_RE.match(digits):
        raise ValidationError(
            _("请输入11位中国大陆手机号码，例如 13800000000。"), code="mobile"
        )
    return digits


def _code_hash(phone: str, purpose: str, code: str) -> str:
    return salted_hmac(
        "huji.accounts.OneTimeCode", f"{purpose}:{phone}:{code}", algorithm="sha256"
    ).hexdigest()


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _per_ip_limit() -> int:
    # Mobile carriers put many phones behind one address: the per-IP limit is
    # looser than the per-phone one.
    return getattr(settings, "HUJI_OTP_MAX_PER_HOUR_PER_IP", 30)


@transaction.atomic
def sign_in_code_request(*, phone: str, request=None) -> OneTimeCode:
    """Send a new sign-in code to ``phone`` (any earlier code stops working).

    Refused (ValidationError code ``throttled``) within the resend interval, and
    beyond the hourly limits per number and per client address.
    """
    phone = normalise_mobile(phone)
    now = timezone.now()
    purpose = OneTimeCode.Purpose.SIGN_IN
    # Serialise requests for one number so two parallel ones cannot both pass.
    recent = list(
        OneTimeCode.objects.select_for_update()
        .filter(phone=phone, purpose=purpose, created_at__gte=now - timedelta(hours=1))
        .order_by("-created_at")
    )
    if recent:
        elapsed = (now - recent[0].created_at).total_seconds()
        if elapsed < settings.HUJI_OTP_RESEND_SECONDS:
            raise ValidationError(
                _("验证码已发送，请%(seconds)d秒后再重新获取。"),
                code="throttled",
                params={"seconds": int(settings.HUJI_OTP_RESEND_SECONDS - elapsed) + 1},
            )
    if len(recent) >= settings.HUJI_OTP_MAX_PER_HOUR:
        raise ValidationError(
            _("该号码一小时内获取验证码次数过多，请稍后再试。"), code="throttled"
        )
    ip = _ip(request)
    if ip and (
        OneTimeCode.objects.filter(
            ip_address=ip, created_at__gte=now - timedelta(hours=1)
        ).count()
        >= _per_ip_limit()
    ):
        raise ValidationError(
            _("当前网络获取验证码次数过多，请稍后再试。"), code="throttled"
        )
    OneTimeCode.objects.filter(
        phone=phone, purpose=purpose, used_at__isnull=True
    ).update(expires_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    otp = OneTimeCode.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=_code_hash(phone, purpose, code),
        expires_at=now + timedelta(seconds=settings.HUJI_OTP_TTL_SECONDS),
        ip_address=ip,
    )
    minutes = settings.HUJI_OTP_TTL_SECONDS // 60
    sms_send(
        phone=phone,
        text=_(
            "【上海公安】您的登录验证码为%(code)s，%(minutes)d分钟内有效。请勿告诉他人。"
        )
        % {"code": code, "minutes": minutes},
    )
    audit_record(
        actor=None,
        action="sign_in_code:send",
        obj=otp,
        request=request,
        changes={"phone": phone[:3] + "****" + phone[-4:]},
    )
    return otp


def _check_code(*, phone: str, code: str) -> tuple[OneTimeCode | None, str]:
    """One attempt at the newest live code. Returns (code row, "") on success or
    (None, error message); the attempt is counted either way."""
    now = timezone.now()
    otp = (
        OneTimeCode.objects.select_for_update()
        .filter(phone=phone, purpose=OneTimeCode.Purpose.SIGN_IN)
        .order_by("-created_at")
        .first()
    )
    if otp is None or otp.used_at is not None or otp.expires_at <= now:
        return None, _("验证码已失效或未获取，请重新获取验证码。")
    if otp.attempts >= settings.HUJI_OTP_MAX_ATTEMPTS:
        return None, _("验证码错误次数过多，请重新获取验证码。")
    OneTimeCode.objects.filter(pk=otp.pk).update(attempts=F("attempts") + 1)
    otp.attempts += 1
    expected = _code_hash(phone, otp.purpose, re.sub(r"\s", "", code or ""))
    if not hmac.compare_digest(expected, otp.code_hash):
        left = settings.HUJI_OTP_MAX_ATTEMPTS - otp.attempts
        if left <= 0:
            return None, _("验证码错误次数过多，请重新获取验证码。")
        return None, _("验证码不正确，还可以再试%(left)d次。") % {"left": left}
    otp.used_at = now
    otp.save(update_fields=["used_at"])
    return otp, ""


def sign_in_code_verify(*, phone: str, code: str, request=None) -> User:
    """Check a sign-in code; return the resident's account, creating it on the first
    sign-in (sign-up). A wrong code counts as an attempt even though it raises."""
    phone = normalise_mobile(phone)
    with transaction.atomic():
        otp, error = _check_code(phone=phone, code=code)
        if otp is None:
            audit_record(
                actor=None,
                action="sign_in:failed",
                object_type="accounts.onetimecode",
                request=request,
                changes={"phone": phone[:3] + "****" + phone[-4:]},
            )
    if otp is None:
        raise ValidationError(error, code="code")
    return _resident_for_mobile(phone=phone, request=request)


@transaction.atomic
def _resident_for_mobile(*, phone: str, request=None) -> User:
    user = User.objects.select_for_update().filter(mobile=phone).first()
    if user is not None and not user.is_resident:
        raise ValidationError(
            _("该号码已绑定工作人员账户，请从工作人员入口登录。"), code="staff"
        )
    if user is not None and not user.is_active:
        raise ValidationError(_("该账户已停用，请联系12345热线。"), code="inactive")
    created = user is None
    if created:
        user = User(kind=AccountKind.RESIDENT, mobile=phone, username=phone)
        user.set_unusable_password()
        user.save()
        audit_record(actor=user, action="account:create", obj=user, request=request)
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    audit_record(
        actor=user,
        action="sign_in",
        obj=user,
        request=request,
        changes={"method": "sms", "new_account": created},
    )
    return user


@transaction.atomic
def account_real_name(*, user: User, name: str, id_number: str, request=None) -> Person:
    """Real-name authentication: tie the account to one Person by ID number.

    One account per ID number. A Person already known without an account (e.g.
    listed in someone's application) is linked if the name matches.
    """
    if not user.is_resident:
        raise PermissionDenied
    if user.person_id is not None:
        raise ValidationError(_("您已完成实名认证。"), code="done")
    name = re.sub(r"\s+", "", name or "")
    if not 2 <= len(name) <= 30:
        raise ValidationError(
            {"name": _("请填写身份证上的姓名（2至30个字）。")}, code="name"
        )
    try:
        parsed = parse_id_number(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    person = Person.objects.select_for_update().filter(id_number=parsed.number).first()
    taken = _(
        "该公民身份号码已被另一个账户实名认证。如非本人操作，请携带身份证到"
        "派出所户籍窗口或拨打12345热线处理。"
    )
    if person is not None:
        if User.objects.filter(person=person).exists():
            raise ValidationError({"id_number": taken}, code="taken")
        if person.name != name:
            raise ValidationError(
                {"name": _("姓名与公民身份号码登记的姓名不一致，请核对。")},
                code="name_mismatch",
            )
    else:
        person = Person.objects.create(
            id_number=parsed.number,
            name=name,
            sex=parsed.sex,
            birth_date=parsed.birth_date,
            phone=user.mobile or "",
        )
    user.person = person
    user.identity_level = _stronger(user.identity_level, IdentityLevel.ID_NUMBER)
    user.identity_verified_at = timezone.now()
    try:
        with transaction.atomic():
            user.save(
                update_fields=["person", "identity_level", "identity_verified_at"]
            )
    except IntegrityError as exc:  # two accounts racing for one number
        raise ValidationError({"id_number": taken}, code="taken") from exc
    audit_record(
        actor=user,
        action="account:real_name",
        obj=user,
        request=request,
        changes={"id_number": mask_id_number(parsed.number), "person": person.pk},
    )
    notification_send(
        recipient=user,
        event="real_name_done",
        context={"name": person.name},
        link="/me/",
        sms=False,
    )
    return person


def _stronger(current: str, new: str) -> str:
    return max(current, new, key=LEVEL_ORDER.index)


@transaction.atomic
def account_identity_level_record(
    *, user: User, level: str, actor, evidence: str = "", request=None
) -> User:
    """Record that ``user``'s identity was proven to ``level`` (never lowers it)."""
    if not user.is_resident or user.person_id is None:
        raise ValidationError(_("该账户尚未实名认证。"), code="not_real_named")
    new_level = _stronger(user.identity_level, level)
    old_level = user.identity_level
    if new_level != old_level:
        user.identity_level = new_level
        user.identity_verified_at = timezone.now()
        user.save(update_fields=["identity_level", "identity_verified_at"])
    audit_record(
        actor=actor,
        action="account:identity_level",
        obj=user,
        request=request,
        reason=evidence,
        changes={"identity_level": [old_level, new_level]},
    )
    return user


@transaction.atomic
def account_mark_verified_in_person(*, user: User, officer, request=None) -> User:
    """An officer or clerk confirmed the resident's identity face to face with the
    ID card (the default policy: at the first counter visit)."""
    if not getattr(officer, "is_staff_member", False) or officer.role not in (
        COUNTER_ROLES
    ):
        raise PermissionDenied
    already = user.identity_level == IdentityLevel.IN_PERSON
    account_identity_level_record(
        user=user,
        level=IdentityLevel.IN_PERSON,
        actor=officer,
        evidence=_("窗口现场核验身份证件"),
        request=request,
    )
    if not already:
        notification_send(
            recipient=user,
            event="identity_in_person",
            context={"organisation": officer.organisation.name},
            sms=False,
        )
    return user


# Staff.


def staff_sign_in_record(*, user: User, request=None, method: str) -> None:
    audit_record(
        actor=user,
        action="sign_in",
        obj=user,
        request=request,
        changes={"method": method},
    )


@transaction.atomic
def staff_totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device to enrol (created on first use)."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("已绑定动态口令设备。"), code="enrolled")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


@transaction.atomic
def staff_totp_confirm(
    *, user: User, device: TOTPDevice, token: str, request=None
) -> bool:
    """Confirm enrolment with a code from the authenticator app."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    allowed, _info = device.verify_is_allowed()
    if not allowed or not device.verify_token(re.sub(r"\s", "", token or "")):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="account:totp_enrol", obj=user, request=request)
    return True


@transaction.atomic
def staff_totp_reset(*, user: User, actor, request=None) -> int:
    """Remove the account's TOTP devices so it enrols again at next sign-in."""
    if not (actor.is_superuser or actor.role == StaffRole.SYSTEM_ADMIN):
        raise PermissionDenied
    count, _detail = TOTPDevice.objects.filter(user=user).delete()
    user.session_generation = F("session_generation") + 1
    user.save(update_fields=["session_generation"])
    user.refresh_from_db(fields=["session_generation"])
    audit_record(actor=actor, action="account:totp_reset", obj=user, request=request)
    return count


@transaction.atomic
def account_sign_out_everywhere(*, user: User, request=None) -> None:
    """End every session of the account, on every device (this one too)."""
    User.objects.filter(pk=user.pk).update(
        session_generation=F("session_generation") + 1
    )
    user.refresh_from_db(fields=["session_generation"])
    audit_record(actor=user, action="sign_out:everywhere", obj=user, request=request)


@transaction.atomic
def staff_create(
    *, username: str, organisation, role: str, password: str, actor=None, **extra
) -> User:
    """Create a staff account (the admin and ``huji staff_create`` call this)."""
    if role not in StaffRole.values:
        raise ValidationError(_("未知的岗位角色：%(role)s") % {"role": role})
    user = User(
        kind=AccountKind.STAFF,
        username=username,
        organisation=organisation,
        role=role,
        **extra,
    )
    from django.contrib.auth.password_validation import validate_password

    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action="account:create",
        obj=user,
        changes={"role": role, "organisation": organisation.code},
    )
    return user


def totp_config_url(device: TOTPDevice) -> str:
    """The otpauth:// URI for the authenticator app, named after the platform."""
    from urllib.parse import quote

    url = device.config_url
    if "issuer=" in url:
        return url
    issuer = "Huji 户籍云窗口"
    label = quote(f"{issuer}:{device.user.get_username()}")
    return f"otpauth://totp/{label}?{url.split('?', 1)[1]}&issuer={quote(issuer)}"


@transaction.atomic
def sign_in_codes_purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete one-time codes past any use (run daily: ``accounts.tasks``). The
    hourly limits only look back one hour, so a day's margin loses nothing."""
    count, _detail = OneTimeCode.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return count
