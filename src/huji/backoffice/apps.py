from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "huji.backoffice"
    label = "backoffice"
    verbose_name = "工作人员端"
