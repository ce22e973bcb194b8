"""URL converters: an `<int:...>` in a route is a row id, so only numbers a row id can be."""

from typing import Any

from werkzeug.routing import IntegerConverter, Map

# Row ids are signed 64-bit integers at most (SQLite's INTEGER, PostgreSQL's BIGINT); a
# bigger number reaching the database is an overflow error, not "no such row".
ROW_ID_MAX = 2**63 - 1


class RowIdConverter(IntegerConverter):
    """Werkzeug's `int`, bounded to the signed 64-bit range: anything bigger does not match,
    so the route answers 404 as for any other id that names nothing."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", ROW_ID_MAX)
        super().__init__(map, *args, **kwargs)
