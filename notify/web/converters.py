"""Row ids from the outside (a URL's `<int:...>`, an API path, a form's choice): only numbers
a row id can be, so a bigger one names nothing (404) instead of overflowing the database."""

import re
from typing import Any

from werkzeug.routing import IntegerConverter, Map

# The id columns are INTEGER: 32 bits on PostgreSQL (SQLite's would take 64), where a bigger
# number is "integer out of range", not "no such row".
ROW_ID_MAX = 2**31 - 1
DIGITS = re.compile(r"[0-9]{1,10}")


class RowIdConverter(IntegerConverter):
    """Werkzeug's `int`, bounded to what a row id can be: anything bigger does not match, so
    the route answers 404 as for any other id that names nothing."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", ROW_ID_MAX)
        super().__init__(map, *args, **kwargs)


def row_id(text: str | None) -> int | None:
    """`text` as a row id, or None if it cannot be one (not digits, or too big)."""
    if text is None or not DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= ROW_ID_MAX else None
