"""The one CSV writer every export uses: what a spreadsheet opens must stay data.

A cell that begins like a formula (`=HYPERLINK(...)`, `+`, `-`, `@`, or a tab or carriage
return before one) is run by Excel and LibreOffice when the file is opened; free text from a
case system, a partner authority or our own directory could carry one. Such a cell is written
with a single quote before it (OWASP's advice), which a spreadsheet shows as text.
"""

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

# The ASCII starts OWASP lists, and their full-width forms, which some spreadsheets in East
# Asian locales also read as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def guard(value: Any) -> Any:
    """`value`, with a quote before it if it is text a spreadsheet would run as a formula.
    Numbers are left as they are: -3 is a number, not a formula."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


class CsvWriter:
    """`csv.writer` with every cell guarded, CRLF line ends (RFC 4180), and `columns`, when
    given, written first and used to order rows given as mappings."""

    def __init__(self, out: TextIO, columns: Sequence[str] | None = None) -> None:
        self._writer = csv.writer(out, lineterminator="\r\n")
        self.columns = tuple(columns) if columns is not None else None
        if self.columns is not None:
            self.writerow(self.columns)

    def writerow(self, row: Iterable[Any] | Mapping[str, Any]) -> None:
        if isinstance(row, Mapping):
            row = self._ordered(row)
        self._writer.writerow([guard(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any] | Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)

    def _ordered(self, row: Mapping[str, Any]) -> list[Any]:
        if self.columns is None:
            raise ValueError("A row given by column name needs the writer's columns")
        unknown = set(row) - set(self.columns)
        if unknown:
            raise ValueError(f"Not columns of this file: {', '.join(sorted(unknown))}")
        return [row.get(name, "") for name in self.columns]
