"""One UPDATE for many rows that each get their own values.

Django's `bulk_update` writes a `CASE WHEN id = ... THEN ...` per row and field: correct, but
building and parsing it costs ~2 ms per row (2 s for a 1,000-event ingest). On PostgreSQL the
values travel as one array per column instead:

    UPDATE t SET a = v.a, ... FROM unnest(%s::bigint[], %s::varchar(32)[], ...) AS v(id, a, ...)
    WHERE t.id = v.id

Other databases (SQLite, the zero-setup default) keep Django's bulk_update.
"""

from collections.abc import Sequence

from django.db import connections, models, router


def bulk_update_rows(objs: Sequence[models.Model], fields: Sequence[str]) -> None:
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(objs, fields)
        return
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    arrays = [
        [column.get_db_prep_value(getattr(obj, column.attname), connection) for obj in objs] for column in columns
    ]
    casts = ", ".join(f"%s::{column.db_type(connection)}[]" for column in columns)
    names = ", ".join(quote(column.column) for column in columns)
    assignments = ", ".join(f"{quote(column.column)} = v.{quote(column.column)}" for column in columns[1:])
    pk = quote(meta.pk.column)
    sql = (
        f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "
        f"FROM unnest({casts}) AS v({names}) WHERE t.{pk} = v.{pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)
