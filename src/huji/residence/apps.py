from django.apps import AppConfig


class ResidenceConfig(AppConfig):
    name = "huji.residence"
    label = "residence"
    verbose_name = "居住登记与居住证"
