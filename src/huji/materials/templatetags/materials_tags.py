from django import template

from huji.materials.constants import Problem

register = template.Library()


@register.filter
def problem_label(code: str) -> str:
    """The short Chinese name of a clarity-check problem code ("分辨率太低")."""
    try:
        return str(Problem(code).label)
    except ValueError:
        return code
