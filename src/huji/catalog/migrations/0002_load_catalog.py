"""Loads the service catalog from data/catalog/ with the same loader as
``huji catalog_load --publish``. Later changes to the data are published with that
command (each changed item becomes a new version)."""

from django.db import migrations


def load(apps, schema_editor):
    from huji.catalog.loader import catalog_sync

    catalog_sync(apps=apps, publish=True)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
