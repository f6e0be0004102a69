from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "huji.catalog"
    label = "catalog"
    verbose_name = "事项目录"
