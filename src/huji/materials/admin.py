from django.contrib import admin

from huji.materials.models import MaterialUpload


@admin.register(MaterialUpload)
class MaterialUploadAdmin(admin.ModelAdmin):
    """Metadata only: the files are opened through the permission-checked view."""

    list_display = (
        "public_id",
        "material_kind",
        "uploaded_by",
        "created_at",
        "claimed_at",
    )
    list_filter = ("material_kind", "content_type")
    search_fields = ("public_id", "sha256")
    readonly_fields = [field.name for field in MaterialUpload._meta.fields]
    list_select_related = ("uploaded_by",)

    def has_add_permission(self, request):
        return False
