from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "huji.workflow"
    label = "workflow"
    verbose_name = "流程"

    def ready(self):
        from huji.workdays.signals import schedule_changed
        from huji.workflow.signals import on_schedule_changed

        schedule_changed.connect(
            on_schedule_changed, dispatch_uid="workflow.recompute_clocks"
        )
