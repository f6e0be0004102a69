from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "huji.appointments"
    label = "appointments"
    verbose_name = "窗口预约"
