from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "huji.workflow"
    label = "workflow"
    verbose_name = "流程"
