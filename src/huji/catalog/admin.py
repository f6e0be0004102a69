"""Catalog administration: categories, items with a draft → publish flow, and
published versions (read-only)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from huji.catalog.models import Category, Item, ItemVersion
from huji.catalog.services import item_version_publish, version_definition


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "family", "order"]
    list_filter = ["family"]
    ordering = ["order", "code"]


class ItemVersionInline(admin.TabularInline):
    model = ItemVersion
    fields = ["number", "name", "route", "online", "published_at", "published_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "current_name",
        "category",
        "current_number",
        "is_active",
        "has_draft",
    ]
    list_filter = ["category", "is_active"]
    search_fields = ["code", "search_text"]
    list_select_related = ["category", "current_version"]
    readonly_fields = ["current_version", "search_text"]
    fields = [
        "code",
        "category",
        "order",
        "is_active",
        "current_version",
        "draft_definition",
        "search_text",
    ]
    inlines = [ItemVersionInline]
    actions = ["draft_from_current", "publish_draft"]

    @admin.display(description=_("名称"))
    def current_name(self, obj):
        return obj.current_version.name if obj.current_version_id else ""

    @admin.display(description=_("版本"))
    def current_number(self, obj):
        return obj.current_version.number if obj.current_version_id else None

    @admin.display(description=_("有草稿"), boolean=True)
    def has_draft(self, obj):
        return obj.draft_definition is not None

    @admin.action(description=_("以当前版本为基础新建草稿"))
    def draft_from_current(self, request, queryset):
        for item in queryset.select_related("current_version"):
            if item.current_version_id and item.draft_definition is None:
                item.draft_definition = version_definition(item.current_version)
                item.save(update_fields=["draft_definition"])
        self.message_user(request, _("已新建草稿，请编辑“草稿定义”后发布。"))

    @admin.action(description=_("发布草稿为新版本"))
    def publish_draft(self, request, queryset):
        for item in queryset:
            if item.draft_definition is None:
                continue
            try:
                version = item_version_publish(
                    item=item, definition=item.draft_definition, actor=request.user
                )
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{item.code}: {exc}", messages.ERROR)
                continue
            self.message_user(request, f"{item.code}: v{version.number}")


@admin.register(ItemVersion)
class ItemVersionAdmin(admin.ModelAdmin):
    """Published versions are immutable: view only."""

    list_display = ["item", "number", "name", "route", "online", "published_at"]
    list_filter = ["route", "online", "item__category"]
    search_fields = ["item__code", "name"]
    list_select_related = ["item"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
