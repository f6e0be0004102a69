from django import forms
from django.utils.translation import gettext_lazy as _

from huji.appointments.constants import Weekday


class WindowHoursRowForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("星期"), choices=Weekday.choices, coerce=int
    )
    start_time = forms.TimeField(
        label=_("开始"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("结束"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    capacity = forms.IntegerField(label=_("可预约人数"), min_value=1, max_value=200)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("结束时间必须晚于开始时间。"))
        return data


WindowHoursFormSet = forms.formset_factory(
    WindowHoursRowForm, extra=3, can_delete=True, max_num=60
)


class WindowCompleteForm(forms.Form):
    issued = forms.CharField(
        label=_("本次签发"),
        help_text=_("每行一项，例如：户口簿新页（户主页、本人页）、户口迁移证。"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WindowRefuseForm(forms.Form):
    reasons = forms.CharField(
        label=_("不予办理的理由"),
        help_text=_("每行一条，申请人会看到这些理由。"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
