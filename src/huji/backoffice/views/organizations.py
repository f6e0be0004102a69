"""Staff pages for the reference data and the audit trail.

``/staff/organisations/`` shows the organisation tree (read-only; administrators
edit in the admin). ``/staff/audit/`` lets auditors search the audit trail.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from huji.accounts.constants import StaffRole
from huji.accounts.decorators import staff_required
from huji.audit.selectors import audit_events_list
from huji.audit.services import audit_record
from huji.organizations import selectors
from huji.organizations.constants import DivisionLevel, OrganisationKind
from huji.organizations.forms import ShanghaiAddressField
from huji.organizations.models import Organisation

AUDIT_PAGE_SIZE = 50
CITY_ORDER = {"SHPSB": 0, "SHPSB-POP": 1, "SHPSB-CARD": 2, "POST-SH": 3}
SEARCH_PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("动作"),
        required=False,
        max_length=64,
        help_text=_("按前缀匹配，如 read: 查看所有查阅记录"),
    )
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=64)
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    actor_username = forms.CharField(
        label=_("操作人账号"), required=False, max_length=150
    )
    organisation_code = forms.CharField(
        label=_("机构代码"), required=False, max_length=32
    )
    date_from = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data


def _filters_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@staff_required(StaffRole.AUDITOR, StaffRole.SYSTEM_ADMIN)
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    events = audit_events_list(user=request.user, **filters)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    role_labels = dict(StaffRole.choices)
    for event in rows:
        event.role_label = role_labels.get(event.actor_role, event.actor_role)
    # Reading the trail is itself recorded: who looked for what.
    audit_record(
        actor=request.user,
        action="read:audit_log",
        request=request,
        changes={
            "filters": {key: str(value) for key, value in filters.items()},
            "page": page.number,
        },
    )
    return render(
        request,
        "backoffice/audit/log.html",
        {
            "form": form,
            "page": page,
            "events": rows,
            "filters_query": _filters_query(request),
        },
    )


@staff_required(StaffRole.SYSTEM_ADMIN)
def organisation_tree(request):
    district_code = request.GET.get("district", "").strip()
    query = request.GET.get("q", "").strip()[:64]
    districts = selectors.districts_list().annotate(
        street_count=Count("children", filter=Q(children__level=DivisionLevel.STREET))
    )
    context = {
        "city_units": sorted(
            Organisation.objects.filter(district__isnull=True).select_related("parent"),
            key=lambda org: (CITY_ORDER.get(org.code, len(CITY_ORDER)), org.code),
        ),
        "districts": districts,
        "query": query,
    }
    if district_code:
        try:
            district = selectors.district_get(district_code)
        except selectors.UnknownCodeError as exc:
            raise Http404(str(exc)) from exc
        context["district"] = district
        context["branch"] = Organisation.objects.filter(
            kind=OrganisationKind.DISTRICT_BRANCH, district=district
        ).first()
        context["streets"] = selectors.streets_list(district_code=district.code)
    if query:
        results = selectors.organisations_list(query=query)
        context["results"] = Paginator(results, SEARCH_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context["filters_query"] = _filters_query(request)
    return render(request, "backoffice/organizations/tree.html", context)


class JurisdictionLookupForm(forms.Form):
    address = ShanghaiAddressField(label=_("地址"), require_detail=False)


@staff_required
def jurisdiction_lookup(request):
    """Which station and center serve an address (for any staff member)."""
    form = JurisdictionLookupForm(request.GET or None)
    found = error = None
    if form.is_bound and form.is_valid():
        try:
            found = form.cleaned_data["address"].jurisdiction()
        except selectors.JurisdictionIncompleteError as exc:
            error = str(exc)
    return render(
        request,
        "backoffice/organizations/jurisdiction.html",
        {"form": form, "found": found, "error": error},
    )


urlpatterns = [
    path(
        "organisations/jurisdiction/",
        jurisdiction_lookup,
        name="jurisdiction_lookup",
    ),
    path("audit/", audit_log, name="audit_log"),
    path("organisations/", organisation_tree, name="organisations"),
]
