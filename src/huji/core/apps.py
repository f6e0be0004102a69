from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "huji.core"
    label = "core"
    verbose_name = "Core"
