from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "huji.accounts"
    label = "accounts"
    verbose_name = "账户"
