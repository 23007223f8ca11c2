"""Rate-limit windows are counters of the last minutes: on PostgreSQL they need no write-ahead log.

An UNLOGGED table is not written to the WAL, so counting a request does not wait for a disk flush and
its row lock is held only for the statement itself; after a crash the table starts empty, which only
resets the current windows. SQLite has no such thing; nothing changes there.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def unlogged(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("core", "RateLimitWindow")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} SET UNLOGGED")


def logged(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("core", "RateLimitWindow")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_rate_limit_windows")]

    operations = [migrations.RunPython(unlogged, logged)]
