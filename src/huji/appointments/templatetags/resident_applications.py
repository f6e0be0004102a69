"""``{% latest_applications user as applications %}`` for the resident's home page
(the portal's home view does not know about applications)."""

from django import template

register = template.Library()


@register.simple_tag
def latest_applications(user, count: int = 3):
    from huji.applications.selectors import applications_for_resident

    if user is None or not user.is_authenticated or not user.is_resident:
        return []
    return list(applications_for_resident(user=user)[:count])
