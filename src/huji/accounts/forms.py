from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from huji.accounts.idnumbers import parse_id_number
from huji.accounts.services import normalise_mobile


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        help_text=_("中国大陆手机号码。首次登录将自动注册。"),
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "numeric"}
        ),
        error_messages={"required": _("请填写手机号码。")},
    )

    def clean_phone(self):
        return normalise_mobile(self.cleaned_data["phone"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=8,
        help_text=_("6位数字，5分钟内有效。"),
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "class": "otp-input",
            }
        ),
        error_messages={"required": _("请填写收到的6位验证码。")},
    )


class RealNameForm(forms.Form):
    name = forms.CharField(
        label=_("姓名"),
        max_length=30,
        help_text=_("与居民身份证上的姓名一致。"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("请填写姓名。")},
    )
    id_number = forms.CharField(
        label=_("公民身份号码"),
        max_length=22,
        help_text=_("18位，最后一位可能是字母X。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("请填写公民身份号码。")},
    )

    def clean_id_number(self):
        return parse_id_number(self.cleaned_data["id_number"]).number


class StaffPasswordForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
        error_messages={"required": _("请填写用户名。")},
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("请填写密码。")},
    )


class TotpForm(forms.Form):
    token = forms.CharField(
        label=_("动态口令"),
        max_length=8,
        help_text=_("身份验证器应用中显示的6位数字。"),
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "class": "otp-input",
                "autofocus": True,
            }
        ),
        error_messages={"required": _("请填写6位动态口令。")},
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or len(token) != 6:
            raise ValidationError(_("动态口令为6位数字。"))
        return token
