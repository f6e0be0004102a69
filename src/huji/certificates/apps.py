from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "huji.certificates"
    label = "certificates"
    verbose_name = "电子证照"
