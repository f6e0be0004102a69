"""Test helpers for other apps.

The data migration loads the whole organisation tree into every test database, so
ordinary (``django_db``) tests can simply look organisations up. Transactional
tests (``transaction=True``, e.g. browser tests) empty the tables when they finish;
a later transactional test that needs the tree calls ``ensure_shanghai_organisations``.
"""

from huji.organizations.loader import organisations_load
from huji.organizations.models import Division, Organisation


def ensure_shanghai_organisations() -> None:
    """Load the organisation tree if a flush removed it (idempotent, fast)."""
    if not Division.objects.filter(code="310115").exists():
        organisations_load()


def organisation(code: str) -> Organisation:
    return Organisation.objects.get(code=code)
