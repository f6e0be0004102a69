from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "huji.applications"
    label = "applications"
    verbose_name = "户籍业务申请"

    def ready(self):
        from huji.applications.signals import on_clocks_recomputed
        from huji.workflow.signals import clocks_recomputed

        clocks_recomputed.connect(
            on_clocks_recomputed, dispatch_uid="applications.due_dates_follow"
        )
