"""Making the board report: the facts read, then counted (notify/reports/placed_out.py)."""

from datetime import date

from sqlalchemy.orm import Session

from notify.reports import queries
from notify.reports.placed_out import Report, build_report


def make_placed_out_report(session: Session, home_authority_code: str, on: date) -> Report:
    """The "children placed out of area" report as at `on`."""
    return build_report(
        queries.our_children(session, home_authority_code),
        queries.hosted_children(session, home_authority_code),
        queries.notices_sent(session, home_authority_code),
        on,
        queries.names(session),
    )
