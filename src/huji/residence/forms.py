"""Forms shared by the resident pages and the counter pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huji.organizations.constants import OrganisationKind
from huji.organizations.forms import ShanghaiAddressField
from huji.organizations.models import Organisation
from huji.residence.constants import (
    Handover,
    HousingType,
    PermitBasis,
    ResidenceReason,
)

PHONE_ERROR = _("请填写11位手机号码，例如13912345678。")


class RegistrationForm(forms.Form):
    address = ShanghaiAddressField(
        label=_("在上海的居住地址"),
        help_text=_("选择区和街道（镇），再填写路名、门牌号和室号。"),
    )
    reason = forms.ChoiceField(
        label=_("居住事由"), choices=ResidenceReason.choices, widget=forms.RadioSelect
    )
    employer = forms.CharField(
        label=_("工作单位或就读学校"),
        max_length=200,
        required=False,
        help_text=_("务工就业填工作单位，就读进修填学校名称。"),
    )
    housing_type = forms.ChoiceField(
        label=_("住所类型"), choices=HousingType.choices, widget=forms.RadioSelect
    )
    housing_proof = forms.CharField(
        label=_("住所证明"),
        max_length=200,
        help_text=_("房地产权证号、租赁合同登记备案号或单位/学校宿舍证明的编号。"),
    )
    phone = forms.RegexField(
        label=_("联系电话"), regex=r"^1\d{10}$", error_messages={"invalid": PHONE_ERROR}
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") in {"work", "study"} and not data.get("employer"):
            self.add_error(
                "employer", _("居住事由为务工就业或就读进修时，请填写单位或学校名称。")
            )
        return data


def center_choices():
    return [
        (o.pk, o.name)
        for o in Organisation.objects.filter(
            kind=OrganisationKind.SERVICE_CENTER, is_active=True
        )
        .only("pk", "name")
        .order_by("code")
    ]


class PermitApplicationForm(forms.Form):
    basis = forms.ChoiceField(
        label=_("申办条件"), choices=PermitBasis.choices, widget=forms.RadioSelect
    )
    social_insurance_declared = forms.BooleanField(
        label=_("我在本市连续缴纳职工社会保险已满6个月（居住登记未满半年时适用）"),
        required=False,
    )
    handover = forms.ChoiceField(
        label=_("领证方式"),
        choices=Handover.choices,
        widget=forms.RadioSelect,
        initial=Handover.COLLECT,
        help_text=_("邮政专递：投递员先电话联系约定时间，送达时收取现金15元。"),
    )
    pickup_center = forms.TypedChoiceField(
        label=_("领证地点"),
        coerce=int,
        required=False,
        help_text=_("选择到哪个社区事务受理服务中心领取（全市通办）。"),
    )
    delivery_address = forms.CharField(
        label=_("投递地址"), max_length=300, required=False
    )
    delivery_phone = forms.RegexField(
        label=_("预留电话"),
        regex=r"^1\d{10}$",
        required=False,
        error_messages={"invalid": PHONE_ERROR},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pickup_center"].choices = [("", "—"), *center_choices()]

    def clean(self):
        data = super().clean()
        if data.get("handover") == Handover.POST:
            if not data.get("delivery_address"):
                self.add_error("delivery_address", _("选择邮政专递时请填写投递地址。"))
            if not data.get("delivery_phone"):
                self.add_error(
                    "delivery_phone",
                    _("选择邮政专递时请填写预留电话，投递员会先联系您。"),
                )
        return data

    def pickup_center_obj(self):
        pk = self.cleaned_data.get("pickup_center")
        return Organisation.objects.filter(pk=pk).first() if pk else None


class IdentityCheckForm(forms.Form):
    id_number = forms.CharField(label=_("公民身份号码"), max_length=18)
    name = forms.CharField(label=_("姓名（与证件一致）"), max_length=64)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300)


class ChangeForm(forms.Form):
    changed_on = forms.DateField(
        label=_("变更发生日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    address = forms.CharField(label=_("新居住地址"), max_length=300, required=False)
    employer = forms.CharField(label=_("新工作单位"), max_length=200, required=False)


class CallForm(forms.Form):
    agreed_time = forms.CharField(
        label=_("约定投递时间"),
        max_length=64,
        help_text=_("例如：11月30日上午9-11点"),
    )


class DeliverForm(forms.Form):
    cash_yuan = forms.IntegerField(label=_("实收现金（元）"), min_value=0, initial=15)


class ReconcileForm(forms.Form):
    courier = forms.IntegerField(widget=forms.HiddenInput)
    day = forms.DateField(widget=forms.HiddenInput)
    received_yuan = forms.IntegerField(label=_("实交现金（元）"), min_value=0)
