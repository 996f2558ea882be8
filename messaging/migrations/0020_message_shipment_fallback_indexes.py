"""Indexes on a message's shipment and on the message a fallback replaces.

Found by bench/purge.py at 10 M messages: the retention scrub works by shipment and found its
messages by scanning the whole table (about 2 h a day for 1,000 accounts, about 5 min with this
index), and deleting a message looked for its fallbacks the same way (10.8 s a row).

Built CONCURRENTLY on PostgreSQL (non-atomic migration): a live messages table keeps taking
writes while the index builds. SQLite (the zero-setup default) builds them the ordinary way.
"""

from django.db import migrations, models

INDEXES = [
    models.Index(fields=["shipment"], name="messaging_message_shipment_idx"),
    models.Index(fields=["fallback_of"], condition=models.Q(fallback_of__isnull=False),
                 name="messaging_message_fallback_idx"),
]


def create(apps, schema_editor):
    message = apps.get_model("messaging", "Message")
    for index in INDEXES:
        if schema_editor.connection.vendor == "postgresql":
            sql = str(index.create_sql(message, schema_editor, concurrently=True))
            schema_editor.execute(sql.replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX CONCURRENTLY IF NOT EXISTS", 1))
        else:
            schema_editor.add_index(message, index)


def drop(apps, schema_editor):
    message = apps.get_model("messaging", "Message")
    for index in INDEXES:
        schema_editor.remove_index(message, index)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("messaging", "0019_status_intake"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="message", index=index) for index in INDEXES],
            database_operations=[migrations.RunPython(create, drop, elidable=False)],
        ),
    ]
