"""The audit trail in the admin: read-only, for looking things up."""

from django.contrib import admin

from huji.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "action",
        "actor",
        "actor_role",
        "organisation",
        "object_type",
        "object_id",
    ]
    list_filter = ["action", "object_type", ("at", admin.DateFieldListFilter)]
    search_fields = ["object_id", "actor__username", "reason"]
    list_select_related = ["actor", "organisation"]
    date_hierarchy = "at"
    list_per_page = 50
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
