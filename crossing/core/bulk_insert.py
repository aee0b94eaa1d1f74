"""Fast multi-row inserts for bulk imports: plain tuples through ``executemany``.

Django's ``bulk_create`` builds a model instance and prepares every value of every row, which is
most of the time of a 300,000-row import. Here only the values that need adapting (UUIDs, dates,
datetimes, JSON) are converted, with converters resolved once per call against the concrete
connection; strings, numbers and booleans pass as they are. Callers own the transaction and have
validated the values already.
"""

import uuid
from collections.abc import Sequence

from django.db import connections, models

_ADAPTED = (models.UUIDField, models.DateField, models.DateTimeField, models.JSONField)


class Adapters:
    """Database forms of UUIDs and datetimes, for callers that prepare their rows themselves
    (``insert_rows(..., prepared=True)``): a value shared by many rows is adapted once."""

    def __init__(self, using: str = "default"):
        connection = connections[using]
        self.uuid = _as_uuid if connection.features.has_native_uuid_field else _uuid_hex
        self.datetime = connection.ops.adapt_datetimefield_value
        self.date = connection.ops.adapt_datefield_value
        self._cache: dict = {}

    def key(self, value):
        """A foreign-key UUID (few distinct values), adapted once and remembered."""
        if value is None:
            return None
        if value not in self._cache:
            self._cache[value] = self.uuid(value)
        return self._cache[value]


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: list[tuple], *, batch_size: int = 5000,
                using: str = "default", prepared: bool = False) -> None:
    if not rows:
        return
    connection = connections[using]
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    converters = [] if prepared else [_converter(f, connection) for f in fields]
    if any(converters):
        rows = [tuple(c(v) if c is not None and v is not None else v for c, v in zip(converters, row, strict=True))
                for row in rows]
    quote = connection.ops.quote_name
    # Identifiers come from model metadata and are quoted; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start:start + batch_size])


def _converter(field, connection):
    target = field.target_field if field.is_relation else field
    if not isinstance(target, _ADAPTED):
        return None
    if isinstance(target, models.UUIDField):
        # What Django stores: 32 hex characters where there is no native uuid type.
        return None if connection.features.has_native_uuid_field else _uuid_hex
    if isinstance(target, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(target, models.DateField):
        return connection.ops.adapt_datefield_value

    def convert(value):
        return target.get_db_prep_value(value, connection, prepared=False)

    return convert


def _as_uuid(value):
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _uuid_hex(value):
    return _as_uuid(value).hex
