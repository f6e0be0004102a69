"""Demo data: nothing to add. The migration already loaded the 16 districts, their
234 streets and towns, and the organisation tree (``huji load_organizations``
reloads it)."""


def seed() -> list[str]:
    return []
