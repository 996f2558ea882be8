"""A BRIN index on messaging_message.created_at, for the metrics' count of the last 24 hours
(messaging/metrics.py).

BRIN, not a B-tree: rows are written in created_at order, so a block range summary (the min and
max of each 128 pages) finds a day's rows among millions; the index is a few pages for the whole
table, and a state change (a message is updated three or four times) that writes the row anew
costs it a summary check, not an index entry. A B-tree
on created_at would be ~200 MB at 10M rows and one more index write per insert. `autosummarize`:
autovacuum summarises each range once it is full; the newest ranges, not yet summarised, are
always read, and they are the ones the count wants.

PostgreSQL only (Django's BrinIndex would break the SQLite zero-setup database, where the table
is small anyway): raw SQL that runs on PostgreSQL and does nothing elsewhere.
"""

from django.db import migrations

INDEX = "messaging_message_created_brin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON messaging_message USING brin (created_at) WITH (autosummarize = on)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0017_conversation_channel_no_default"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
