from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "huji.audit"
    label = "audit"
    verbose_name = "审计"
