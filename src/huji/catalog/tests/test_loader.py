"""Loading the data files: idempotent, and a changed item becomes a new version."""

import shutil

import pytest
from django.core.management import call_command

from huji.audit.models import AuditEvent
from huji.catalog.loader import catalog_sync, data_dir
from huji.catalog.models import Item, ItemVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "catalog"
    shutil.copytree(data_dir(), target)
    return target


def test_loading_unchanged_data_creates_no_versions():
    before = ItemVersion.objects.count()
    report = catalog_sync(publish=True)
    assert ItemVersion.objects.count() == before
    assert report.unchanged == report.items == Item.objects.count()
    assert report.published == report.created == []


def test_a_changed_item_gets_a_new_version_and_the_old_row_stays(data_copy):
    old = Item.objects.get(code="HJ06-03").current_version
    snapshot = ItemVersion.objects.filter(pk=old.pk).values().get()
    path = data_copy / "HJ06.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'name = "并户"', 'name = "并户（合并）"'
        ),
        encoding="utf-8",
    )
    report = catalog_sync(publish=True, directory=data_copy)
    assert report.published == ["HJ06-03"]
    item = Item.objects.select_related("current_version").get(code="HJ06-03")
    assert item.current_version.number == old.number + 1
    assert item.current_version.name == "并户（合并）"
    assert ItemVersion.objects.filter(pk=old.pk).values().get() == snapshot
    # Loading the same changed data again is a no-op.
    again = catalog_sync(publish=True, directory=data_copy)
    assert again.published == []


def test_a_changed_regulation_text_republishes_the_items_citing_it(data_copy):
    path = data_copy / "regulations" / "CZHK.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("申请并户，", "申请合并户口，"), encoding="utf-8")
    report = catalog_sync(publish=True, directory=data_copy)
    assert report.published == ["HJ06-03"]


def test_without_publish_changes_become_drafts(data_copy):
    path = data_copy / "HJ06.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('name = "并户"', 'name = "并户2"'),
        encoding="utf-8",
    )
    before = ItemVersion.objects.count()
    report = catalog_sync(publish=False, directory=data_copy)
    assert report.drafts == ["HJ06-03"]
    assert ItemVersion.objects.count() == before
    item = Item.objects.get(code="HJ06-03")
    assert item.draft_definition["name"] == "并户2"


def test_command_publishes_with_an_audit_row(data_copy, capsys):
    path = data_copy / "HJ06.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('name = "并户"', 'name = "并户3"'),
        encoding="utf-8",
    )
    call_command("catalog_load", "--publish", "--dir", str(data_copy))
    out = capsys.readouterr().out
    assert "published HJ06-03" in out
    version = Item.objects.get(code="HJ06-03").current_version
    event = AuditEvent.objects.get(action="catalog:publish", object_id=str(version.pk))
    assert event.changes["item"] == "HJ06-03"
