"""System administrators manage staff accounts here. The admin requires the same
staff sign-in as the back office (password + TOTP): unverified sessions are sent
to the staff sign-in page."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from huji.accounts import services
from huji.accounts.models import OneTimeCode, Person, User

_admin_has_permission = admin.site.has_permission


def _has_permission_with_second_factor(request):
    user = request.user
    return _admin_has_permission(request) and user.is_verified()


def _admin_login(request, extra_context=None):
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(reverse("backoffice:sign_in") + "?" + urlencode({"next": target}))


admin.site.has_permission = _has_permission_with_second_factor
admin.site.login = _admin_login


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_id_number", "sex", "birth_date", "created_at"]
    list_filter = ["sex"]
    search_fields = ["=id_number", "name"]
    readonly_fields = ["created_at"]

    @admin.display(description=_("公民身份号码"))
    def masked_id_number(self, obj):
        return obj.masked_id_number


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "kind",
        "organisation",
        "role",
        "identity_level",
        "is_active",
        "last_login",
    ]
    list_filter = ["kind", "role", "identity_level", "is_active"]
    list_select_related = ["organisation"]
    search_fields = [
        "username",
        "mobile",
        "first_name",
        "last_name",
        "organisation__code",
    ]
    raw_id_fields = ["person"]
    autocomplete_fields: list[str] = []
    fieldsets = [
        (None, {"fields": ["username", "password", "kind"]}),
        (
            _("工作人员"),
            {"fields": ["first_name", "last_name", "organisation", "role"]},
        ),
        (
            _("居民"),
            {"fields": ["mobile", "person", "identity_level", "identity_verified_at"]},
        ),
        (_("状态"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("时间"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "kind",
                    "organisation",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        )
    ]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["reset_totp"]

    @admin.action(description=_("重置动态口令（下次登录时重新绑定）"))
    def reset_totp(self, request, queryset):
        for user in queryset:
            services.staff_totp_reset(user=user, actor=request.user, request=request)
        messages.success(
            request,
            _("已重置 %(count)d 个账户的动态口令。") % {"count": queryset.count()},
        )


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(admin.ModelAdmin):
    list_display = [
        "phone",
        "purpose",
        "created_at",
        "expires_at",
        "attempts",
        "used_at",
    ]
    search_fields = ["=phone"]
    readonly_fields = [f.name for f in OneTimeCode._meta.fields]

    def has_add_permission(self, request):
        return False
