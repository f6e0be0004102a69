"""Residents' sign-in (mobile + SMS code), real-name authentication, home page and
message box."""

from django.conf import settings
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from huji.accounts import services
from huji.accounts.decorators import resident_required
from huji.accounts.forms import CodeForm, PhoneForm, RealNameForm
from huji.accounts.identity import get_identity_provider
from huji.notifications import selectors as message_selectors
from huji.notifications.sms import get_sms_backend
from huji.notifications.views import message_open

PHONE_SESSION_KEY = "huji_sign_in_phone"


def _next(request, default: str = "portal:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _with_next(name: str, request) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    url = reverse(name)
    return url + "?" + urlencode({"next": target}) if target else url


def _add_errors(form, exc: ValidationError, field: str) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field, exc)


def sign_in(request):
    if request.user.is_authenticated and request.user.is_resident:
        return redirect(_next(request))
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            services.sign_in_code_request(phone=phone, request=request)
        except ValidationError as exc:
            if (
                exc.code != "throttled"
                or request.session.get(PHONE_SESSION_KEY) != phone
            ):
                _add_errors(form, exc, "phone")
                return render(request, "portal/accounts/sign_in.html", {"form": form})
        request.session[PHONE_SESSION_KEY] = phone
        return redirect(_with_next("portal:sign_in_code", request))
    return render(request, "portal/accounts/sign_in.html", {"form": form})


def sign_in_code(request):
    phone = request.session.get(PHONE_SESSION_KEY)
    if not phone:
        return redirect(_with_next("portal:sign_in", request))
    form = CodeForm(request.POST or None)
    resent, resend_error = False, ""
    if request.method == "POST" and request.POST.get("action") == "resend":
        form = CodeForm()
        try:
            services.sign_in_code_request(phone=phone, request=request)
            resent = True
        except ValidationError as exc:
            resend_error = exc.messages[0]
    elif request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in_code_verify(
                phone=phone, code=form.cleaned_data["code"], request=request
            )
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop(PHONE_SESSION_KEY, None)
            if user.person_id is None:
                return redirect(_with_next("portal:real_name", request))
            return redirect(_next(request))
    context = {
        "form": form,
        "masked_phone": phone[:3] + "****" + phone[-4:],
        "development_outbox": get_sms_backend().stores_locally,
        "ttl_minutes": settings.HUJI_OTP_TTL_SECONDS // 60,
        "resend_seconds": settings.HUJI_OTP_RESEND_SECONDS,
        "resent": resent,
        "resend_error": resend_error,
        "next": request.GET.get("next", ""),
    }
    return render(request, "portal/accounts/sign_in_code.html", context)


@resident_required
def real_name(request):
    if request.user.person_id is not None:
        return redirect(_next(request))
    form = RealNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_real_name(
                user=request.user,
                name=form.cleaned_data["name"],
                id_number=form.cleaned_data["id_number"],
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc, "id_number")
        else:
            return redirect(_next(request))
    return render(
        request,
        "portal/accounts/real_name.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


@resident_required
def home(request):
    user = request.user
    context = {
        "person": user.person,
        "unread_count": message_selectors.message_unread_count(user=user),
        "identity_provider": get_identity_provider(),
    }
    return render(request, "portal/home.html", context)


@resident_required
def account(request):
    return render(
        request,
        "portal/accounts/account.html",
        {"person": request.user.person, "identity_provider": get_identity_provider()},
    )


@require_POST
def sign_out(request):
    logout(request)
    return redirect("public:home")


@require_POST
@resident_required
def sign_out_everywhere(request):
    services.account_sign_out_everywhere(user=request.user, request=request)
    logout(request)
    return redirect("public:home")


@resident_required
def messages(request):
    page = Paginator(message_selectors.message_list(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/accounts/messages.html", {"page": page})


@require_POST
@resident_required
def message_read(request, message_id: int):
    return message_open(request, message_id=message_id, fallback="portal:messages")


urlpatterns = [
    path("", home, name="home"),
    path("sign-in/", sign_in, name="sign_in"),
    path("sign-in/code/", sign_in_code, name="sign_in_code"),
    path("sign-out/", sign_out, name="sign_out"),
    path("sign-out/everywhere/", sign_out_everywhere, name="sign_out_everywhere"),
    path("real-name/", real_name, name="real_name"),
    path("account/", account, name="account"),
    path("messages/", messages, name="messages"),
    path("messages/<int:message_id>/read/", message_read, name="message_read"),
]
