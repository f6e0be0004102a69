from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "huji.materials"
    label = "materials"
    verbose_name = "材料"
