"""Loads Shanghai's districts, streets and towns and the organisation tree from
data/organizations/ with the same loader as ``huji load_organizations``."""

from django.db import migrations


def load(apps, schema_editor):
    from huji.organizations.loader import organisations_load

    organisations_load(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
