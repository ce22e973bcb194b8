"""The one CSV writer: a cell a spreadsheet would run as a formula is written as text."""

import csv
import io

import pytest

from notify.csv_writer import CsvWriter, guard


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil.example","Open")', '\'=HYPERLINK("http://evil.example","Open")'),
        ("+44 1905 765432", "'+44 1905 765432"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("  =1+1", "'  =1+1"),  # spaces before it: still read as a formula by some
        ("\uff1d1+1", "'\uff1d1+1"),  # a full-width equals sign
        ("WCF-204511", "WCF-204511"),  # a dash inside is only text
        ("a=b", "a=b"),
        ("", ""),
        (-3, -3),  # a number is a number
        (None, None),
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_gets_a_quote_before_it(
    cell: object, written: object
) -> None:
    assert guard(cell) == written


def test_rows_by_position_or_column_name_come_out_guarded_with_crlf_line_ends() -> None:
    out = io.StringIO()
    writer = CsvWriter(out, ["CHILD", "NOTE"])
    writer.writerow(["=1+1", "fine"])
    writer.writerow({"NOTE": "@x", "CHILD": "C1"})

    assert out.getvalue() == "CHILD,NOTE\r\n'=1+1,fine\r\nC1,'@x\r\n"
    assert list(csv.reader(io.StringIO(out.getvalue())))[1] == ["'=1+1", "fine"]


def test_a_row_naming_a_column_the_file_does_not_have_is_refused() -> None:
    writer = CsvWriter(io.StringIO(), ["CHILD"])

    with pytest.raises(ValueError, match="Not columns of this file: SEX"):
        writer.writerow({"CHILD": "C1", "SEX": "F"})
