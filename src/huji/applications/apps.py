from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "huji.applications"
    label = "applications"
    verbose_name = "户籍业务申请"
