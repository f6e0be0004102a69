"""Administrators edit the reference data here; every edit is audited."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from huji.organizations.constants import DivisionLevel
from huji.organizations.models import Division, Organisation
from huji.organizations.services import reference_record_save


class DistrictFilter(admin.SimpleListFilter):
    title = _("所在区")
    parameter_name = "district"
    lookup = "district__code"

    def lookups(self, request, model_admin):
        districts = Division.objects.filter(level=DivisionLevel.DISTRICT)
        return [(d.code, d.name) for d in districts.order_by("code")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.lookup: self.value()})
        return queryset


class ParentDistrictFilter(DistrictFilter):
    lookup = "parent__code"


class AuditedAdmin(admin.ModelAdmin):
    """Saves through ``reference_record_save`` (old/new values in the audit
    trail). Nothing is deleted: deactivate an organisation instead."""

    def save_model(self, request, obj, form, change):
        reference_record_save(obj=obj, actor=request.user, request=request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Division)
class DivisionAdmin(AuditedAdmin):
    list_display = [
        "code",
        "name",
        "level",
        "parent",
        "police_station",
        "service_center",
    ]
    list_filter = ["level", ParentDistrictFilter]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "police_station", "service_center"]
    autocomplete_fields = ["parent", "police_station", "service_center"]
    list_per_page = 50
    ordering = ["code"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "district", "parent", "source", "is_active"]
    list_filter = ["kind", DistrictFilter, "source", "is_active"]
    search_fields = ["code", "name", "name_en", "address"]
    list_select_related = ["district", "parent"]
    autocomplete_fields = ["parent", "district"]
    list_per_page = 50
    ordering = ["code"]
    fieldsets = [
        (None, {"fields": ["code", "name", "name_en", "kind", "parent", "district"]}),
        (_("联系方式"), {"fields": ["address", "phone", "opening_hours"]}),
        (_("状态"), {"fields": ["source", "is_active"]}),
    ]
