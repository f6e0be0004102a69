from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "huji.organizations"
    label = "organizations"
    verbose_name = "机构与辖区"
