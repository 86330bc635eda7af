# Search indexes for the members list (LIST-1): pg_trgm GIN on PostgreSQL, FTS5 trigram on SQLite.
# Both recipes live in crewbase.people.search_index and branch on the connection's vendor.

from django.db import migrations

from crewbase.people import search_index


def install(apps, schema_editor):
    search_index.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    search_index.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0002_invitation_expiry_and_sort_indexes"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
