"""The shared cache's database side: its own connection (router) and an atomic `incr`.

Everything that must hold across processes (rate limits, the page cache, import progress) goes
through Django's default cache. Without Redis that is a database cache on the alias `cache`: a
second connection (on SQLite a second file), so a cache write never waits for nor joins a
transaction the default connection holds open, such as a long import.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now

ALIAS = "cache"
APP_LABEL = "django_cache"  # what Django's database cache gives as its entries' app label


class CacheRouter:
    """Send the database cache's table to the `cache` alias, and nothing else there."""

    def db_for_read(self, model, **hints):
        return ALIAS if model._meta.app_label == APP_LABEL else None

    def db_for_write(self, model, **hints):
        return ALIAS if model._meta.app_label == APP_LABEL else None

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == APP_LABEL:
            return db == ALIAS
        return False if db == ALIAS else None


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache with an atomic `incr` that keeps the entry's expiry, and a leaner read.

    Django's `incr` reads, adds and sets (two workers may both write n + 1) and resets the
    expiry to the default timeout, which would stretch a rate-limit window at every failure.
    Its `get_many` builds a model field and the SQL at every call; ours builds them once per
    connection, which matters at one read per public page.
    """

    def __init__(self, table, params):
        super().__init__(table, params)
        self._reading: dict[tuple[str, int], tuple[str, models.Expression, list]] = {}

    def _read_plan(self, connection, count: int) -> tuple[str, models.Expression, list]:
        plan = self._reading.get((connection.alias, count))
        if plan is None:
            quote = connection.ops.quote_name
            sql = (
                f"SELECT {quote('cache_key')}, {quote('value')}, {quote('expires')} "  # noqa: S608
                f"FROM {quote(self._table)} WHERE {quote('cache_key')} IN ({', '.join(['%s'] * count)})"
            )
            expression = models.Expression(output_field=models.DateTimeField())
            converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
            plan = self._reading[(connection.alias, count)] = (sql, expression, converters)
        return plan

    def get_many(self, keys, version=None):
        if not keys:
            return {}
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        connection = connections[router.db_for_read(self.cache_model_class)]
        sql, expression, converters = self._read_plan(connection, len(key_map))
        with connection.cursor() as cursor:
            cursor.execute(sql, list(key_map))
            rows = cursor.fetchall()
        result, expired, current = {}, [], now()
        for key, value, expires in rows:
            for converter in converters:
                expires = converter(expires, expression, connection)
            if expires < current:
                expired.append(key)
            else:
                result[key_map[key]] = pickle.loads(  # noqa: S301 (our own cache table)
                    base64.b64decode(connection.ops.process_clob(value).encode())
                )
        self._base_delete_many(expired)
        return result

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, key_column = quote(self._table), quote("cache_key")
        value_column, expires_column = quote("value"), quote("expires")
        with transaction.atomic(using=db), connection.cursor() as cursor:
            # A write first takes the row (PostgreSQL) or the file (SQLite) before the read.
            cursor.execute(
                f"UPDATE {table} SET {expires_column} = {expires_column} WHERE {key_column} = %s",  # noqa: S608
                [key],
            )
            cursor.execute(
                f"SELECT {value_column}, {expires_column} FROM {table} WHERE {key_column} = %s",  # noqa: S608
                [key],
            )
            row = cursor.fetchone()
            if row is None or _expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found.")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))  # noqa: S301
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s",  # noqa: S608
                [encoded, key],
            )
        return value


def _expired(connection, expires) -> bool:
    expression = models.Expression(output_field=models.DateTimeField())
    for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
        expires = converter(expires, expression, connection)
    return expires < now()
