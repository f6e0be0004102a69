from django import template

from huji.residence import selectors, services

register = template.Library()


@register.simple_tag
def residence_summary(user) -> dict:
    """The resident home's residence section: permits and current registration."""
    person = getattr(user, "person", None)
    if person is None:
        return {"permits": [], "registration": None}
    return {
        "permits": selectors.permits_of_person(person=person)[:1],
        "registration": services.current_registration(person),
    }
