from django.contrib import admin

from huji.appointments.models import Booking, WindowSlot, WindowSlotTemplate


@admin.register(WindowSlotTemplate)
class WindowSlotTemplateAdmin(admin.ModelAdmin):
    list_display = ["station", "weekday", "start_time", "end_time", "capacity"]
    list_filter = ["weekday", "is_active"]
    raw_id_fields = ["station"]
    search_fields = ["station__name", "station__code"]


@admin.register(WindowSlot)
class WindowSlotAdmin(admin.ModelAdmin):
    list_display = ["station", "start", "end", "capacity", "booked"]
    list_filter = ["station"]
    date_hierarchy = "start"
    readonly_fields = ["booked"]
    list_select_related = ["station"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    # Bookings change only through the services (capacity counts, workflow).
    list_display = ["application", "slot", "state", "created_at", "reminded_at"]
    list_filter = ["state"]
    list_select_related = ["slot", "slot__station", "application"]
    readonly_fields = [f.name for f in Booking._meta.fields]

    def has_add_permission(self, request):
        return False
