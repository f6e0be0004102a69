from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "huji.portal"
    label = "portal"
    verbose_name = "居民端"
