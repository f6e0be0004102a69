from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "huji.notifications"
    label = "notifications"
    verbose_name = "通知"
