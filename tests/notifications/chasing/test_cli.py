"""`flask notify chase`: one pass of the chaser as on a given day; a bad day is a clear error."""

from datetime import date

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from notify.notifications.cli import notify
from tests.support.builders import create_sent_notice, create_sqa_managers
from tests.support.queries import chases_of


def test_chase_on_a_given_date_writes_and_reports_what_is_due(
    app: Flask, db_session: Session
) -> None:
    create_sqa_managers(db_session)
    notice = create_sent_notice(db_session, date(2026, 12, 18))

    result = app.test_cli_runner().invoke(notify, ["chase", "--date", "2027-01-06"])

    assert result.exit_code == 0, result.output
    assert "on 2027-01-06: wrote 1 reminder and 1 escalation" in result.output
    assert [(e, n) for e, n, _ in chases_of(db_session, notice)] == [
        ("reminder", 2),
        ("escalation", 1),
    ]
    again = app.test_cli_runner().invoke(notify, ["chase", "--date", "2027-01-06"])
    assert "wrote 0 reminders and 0 escalations" in again.output


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("2027-13-01", "'2027-13-01' does not match the format '%Y-%m-%d'"),
        ("6/1/2027", "does not match the format"),
        ("2035-01-08", "outside the bank holidays loaded"),
    ],
)
def test_a_bad_date_is_a_usage_error_not_a_traceback(
    app: Flask, db_session: Session, value: str, says: str
) -> None:
    result = app.test_cli_runner().invoke(notify, ["chase", "--date", value])

    assert result.exit_code == 2
    assert "Invalid value for '--date'" in result.output
    assert says in result.output
    assert "Traceback" not in result.output
