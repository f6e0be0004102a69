from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "huji.api"
    label = "api"
    verbose_name = "API"
