from django.contrib import admin

from huji.notifications.models import Message, SmsMessage


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "phone", "status", "text"]
    list_filter = ["status"]
    search_fields = ["phone"]
    readonly_fields = [f.name for f in SmsMessage._meta.fields]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "event", "subject", "read_at"]
    list_filter = ["event"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
