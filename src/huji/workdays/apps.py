from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "huji.workdays"
    label = "workdays"
    verbose_name = "工作日"
