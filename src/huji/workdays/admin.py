"""The operator table in the Django admin. Every save or delete is audited and
sends ``schedule_changed`` (after commit) through the services."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from huji.workdays import services
from huji.workdays.models import AnnouncedYear, SpecialDay


def _row(day: SpecialDay) -> list[str]:
    return [str(day.date), day.kind, day.name]


@admin.register(AnnouncedYear)
class AnnouncedYearAdmin(admin.ModelAdmin):
    list_display = ["year", "announced_on", "entered_by", "updated_at", "day_count"]
    search_fields = ["year", "source"]
    readonly_fields = ["entered_by", "created_at", "updated_at", "days"]
    fields = [
        "year",
        "announced_on",
        "source",
        "entered_by",
        "created_at",
        "updated_at",
        "days",
    ]
    list_select_related = ["entered_by"]

    def get_queryset(self, request):
        days = (
            SpecialDay.objects.filter(year=OuterRef("year"))
            .order_by()
            .values("year")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(_day_count=Subquery(days))

    @admin.display(description=_("节假日与调休日数"))
    def day_count(self, obj):
        return obj._day_count or 0

    @admin.display(description=_("节假日与调休日"))
    def days(self, obj):
        if obj.pk is None:
            return "-"
        url = reverse("admin:workdays_specialday_changelist") + f"?year={obj.year}"
        rows = SpecialDay.objects.filter(year=obj.year)
        return format_html(
            '<a href="{}">{}</a><br>{}',
            url,
            _("编辑本年度的节假日与调休日"),
            format_html_join(mark_safe("<br>"), "{}", ((str(d),) for d in rows)),
        )

    def save_model(self, request, obj, form, change):
        obj._previous_year = form.initial.get("year") if change else None
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        years = {obj.year}
        if getattr(obj, "_previous_year", None):
            years.add(obj._previous_year)
        services.schedule_edited(
            years=years,
            action="workdays:admin_edit_year",
            actor=request.user,
            request=request,
            changes={
                "year": obj.year,
                "days": [_row(d) for d in SpecialDay.objects.filter(year=obj.year)],
            },
        )

    def delete_model(self, request, obj):
        services.announced_year_withdraw(
            year=obj.year, actor=request.user, request=request
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(SpecialDay)
class SpecialDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "year"]
    list_filter = ["kind", "year"]
    search_fields = ["name", "date"]
    date_hierarchy = "date"
    fields = ["date", "kind", "name"]

    def save_model(self, request, obj, form, change):
        previous = form.initial.get("date") if change else None
        super().save_model(request, obj, form, change)
        years = {obj.year} | ({previous.year} if previous else set())
        services.schedule_edited(
            years=years,
            action="workdays:admin_edit_day",
            actor=request.user,
            request=request,
            changes={"before": str(previous) if previous else None, "after": _row(obj)},
        )

    def delete_model(self, request, obj):
        self.delete_queryset(request, SpecialDay.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        rows = list(queryset)
        queryset.delete()
        services.schedule_edited(
            years={d.year for d in rows},
            action="workdays:admin_delete_day",
            actor=request.user,
            request=request,
            changes={"deleted": [_row(d) for d in rows]},
        )
