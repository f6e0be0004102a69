import importlib

import pytest

from huji.applications.models import Application


@pytest.mark.django_db
def test_demo_seed_fills_the_queue_and_is_idempotent():
    for name in ("organizations", "workdays", "accounts", "catalog"):
        try:
            module = importlib.import_module(f"huji.{name}.demo")
        except ModuleNotFoundError:
            continue
        module.seed()
    from huji.applications import demo
    from huji.catalog.models import Item

    lines = demo.seed()
    if not Item.objects.filter(current_version__isnull=False).exists():
        assert lines == []
        return
    states = set(Application.objects.values_list("state", flat=True))
    assert {"submitted", "under_review", "correction_requested"} <= states
    assert all(
        a.handling_organisation.code == "310104014-PCS"
        for a in Application.objects.all()
    )
    count = Application.objects.count()
    assert demo.seed() and Application.objects.count() == count


@pytest.mark.django_db
def test_demo_seed_without_accounts_does_nothing():
    from huji.applications import demo

    assert demo.seed() == []
