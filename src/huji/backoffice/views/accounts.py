"""Staff sign-in: password (django-axes lock-out), then TOTP (django-otp) with an
enrolment page on first use; account page with sign-in history; message box."""

import base64

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth import authenticate, login, logout, user_login_failed
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from huji.accounts import services
from huji.accounts.decorators import staff_required
from huji.accounts.forms import StaffPasswordForm, TotpForm
from huji.audit.models import AuditEvent
from huji.notifications import selectors as message_selectors
from huji.notifications.views import message_open


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("backoffice:home")


def _with_next(name: str, request) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    url = reverse(name)
    return url + "?" + urlencode({"next": target}) if target else url


def _password_passed(request) -> bool:
    user = request.user
    return user.is_authenticated and user.is_staff_member


def sign_in(request):
    if _password_passed(request):
        if request.user.is_verified():
            return redirect(_next(request))
        return redirect(_with_next("backoffice:totp_verify", request))
    form = StaffPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None and user.is_staff_member:
            login(request, user)
            return redirect(_with_next("backoffice:totp_verify", request))
        if user is not None:
            # A resident's account cannot use the staff entrance; count it as failed.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": form.cleaned_data["username"]},
                request=request,
            )
        form.add_error(None, _("用户名或密码不正确。连续错误5次，账户将被锁定30分钟。"))
    context = {"form": form, "timed_out": request.GET.get("reason") == "timeout"}
    return render(request, "backoffice/accounts/sign_in.html", context)


def _device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_verify(request):
    if not _password_passed(request):
        return redirect(_with_next("backoffice:sign_in", request))
    if request.user.is_verified():
        return redirect(_next(request))
    device = _device(request.user)
    if device is None:
        return redirect(_with_next("backoffice:totp_enrol", request))
    form = TotpForm(request.POST or None)
    if request.method == "POST" and (locked := _locked_out(request)):
        return locked
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            services.staff_sign_in_record(
                user=request.user, request=request, method="password+totp"
            )
            return redirect(_next(request))
        _totp_failed(request)
        if not allowed:
            form.add_error("token", _("尝试过于频繁，请稍等片刻再输入。"))
        else:
            form.add_error(
                "token", _("动态口令不正确或已过期，请输入应用中当前显示的6位数字。")
            )
    return render(request, "backoffice/accounts/totp_verify.html", {"form": form})


def _locked_out(request):
    """The lock-out page if axes has locked this username from this address (a
    password-verified session must not keep guessing codes)."""
    credentials = {"username": request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return get_lockout_response(request, None, credentials)
    return None


def _totp_failed(request) -> None:
    # A wrong second factor counts towards the same lock-out as a wrong password.
    user_login_failed.send(
        sender=__name__,
        credentials={"username": request.user.get_username()},
        request=request,
    )


def totp_enrol(request):
    if not _password_passed(request):
        return redirect(_with_next("backoffice:sign_in", request))
    if _device(request.user) is not None:
        return redirect(_with_next("backoffice:totp_verify", request))
    device = services.staff_totp_device_for_enrolment(user=request.user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and (locked := _locked_out(request)):
        return locked
    if request.method == "POST" and form.is_valid():
        if services.staff_totp_confirm(
            user=request.user,
            device=device,
            token=form.cleaned_data["token"],
            request=request,
        ):
            otp_login(request, device)
            services.staff_sign_in_record(
                user=request.user, request=request, method="password+totp_enrol"
            )
            return redirect(_next(request))
        _totp_failed(request)
        form.add_error("token", _("动态口令不正确，请确认手机时间准确后重新输入。"))
    qr_svg = segno.make(services.totp_config_url(device), error="m").svg_inline(
        scale=4, title=_("动态口令二维码")
    )
    context = {
        "form": form,
        "qr_svg": mark_safe(qr_svg),  # noqa: S308 (generated by segno, no user input)
        "secret": _grouped(base64.b32encode(device.bin_key).decode()),
        "config_url": services.totp_config_url(device),
    }
    return render(request, "backoffice/accounts/totp_enrol.html", context)


@require_POST
def sign_out(request):
    logout(request)
    return redirect("backoffice:sign_in")


@require_POST
@staff_required
def sign_out_everywhere(request):
    services.account_sign_out_everywhere(user=request.user, request=request)
    logout(request)
    return redirect("backoffice:sign_in")


@staff_required
def account(request):
    history = AuditEvent.objects.filter(
        actor=request.user, action__in=["sign_in", "sign_out:everywhere"]
    ).order_by("-at", "-id")
    page = Paginator(history, 20).get_page(request.GET.get("page"))
    return render(request, "backoffice/accounts/account.html", {"page": page})


@staff_required
def messages(request):
    page = Paginator(message_selectors.message_list(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "backoffice/accounts/messages.html", {"page": page})


@require_POST
@staff_required
def message_read(request, message_id: int):
    return message_open(request, message_id=message_id, fallback="backoffice:messages")


urlpatterns = [
    path("sign-in/", sign_in, name="sign_in"),
    path("sign-in/totp/", totp_verify, name="totp_verify"),
    path("sign-in/totp/enrol/", totp_enrol, name="totp_enrol"),
    path("sign-out/", sign_out, name="sign_out"),
    path("sign-out/everywhere/", sign_out_everywhere, name="sign_out_everywhere"),
    path("account/", account, name="account"),
    path("messages/", messages, name="messages"),
    path("messages/<int:message_id>/read/", message_read, name="message_read"),
]


def _grouped(secret: str) -> str:
    """Groups of four characters are easier to type into an authenticator app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
