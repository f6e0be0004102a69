from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "huji.public"
    label = "public"
    verbose_name = "公开服务"
