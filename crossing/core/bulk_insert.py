"""Fast multi-row inserts for bulk imports: plain tuples through ``executemany``.

Django's ``bulk_create`` builds a model instance and prepares every value of every row, which is
most of the time of a 300,000-row import. Here only the values that need adapting (UUIDs, dates,
datetimes, JSON) go through the field; strings, numbers and booleans pass as they are. Callers
own the transaction; nothing here bypasses validation that the caller has not already done.
"""

from collections.abc import Sequence

from django.db import connection, models

_ADAPTED = (models.UUIDField, models.DateField, models.DateTimeField, models.JSONField)


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: list[tuple], *, batch_size: int = 5000) -> None:
    if not rows:
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    converters = [_converter(f) for f in fields]
    if any(converters):
        rows = [tuple(c(v) if c else v for c, v in zip(converters, row, strict=True)) for row in rows]
    quote = connection.ops.quote_name
    # Identifiers come from model metadata and are quoted; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start:start + batch_size])


def _converter(field):
    target = field.target_field if field.is_relation else field
    if not isinstance(target, _ADAPTED):
        return None

    def convert(value):
        return None if value is None else field.get_db_prep_value(value, connection, prepared=False)

    return convert
