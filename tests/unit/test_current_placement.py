"""Which placement is current on a day: one rule, the same in Python and in SQL. A move ends
the old placement on the day the new one starts (DOMAIN.md §6: DEC = the next DECOM), so on
that day the child lives at the new one."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Placement
from tests.support.builders import create_child, create_placement

DAY = date(2026, 11, 20)
CASES = [
    # start, end, open on DAY, current on DAY
    (date(2026, 1, 5), None, True, True),
    (date(2026, 1, 5), date(2026, 12, 1), True, True),
    (date(2026, 1, 5), DAY, False, False),  # ends today: the child has moved on
    (date(2026, 1, 5), date(2026, 11, 19), False, False),
    (DAY, None, True, True),  # starts today
    (date(2026, 12, 1), None, True, False),  # planned: open, not yet current
]


@pytest.mark.parametrize(("start", "end", "is_open", "is_current"), CASES)
def test_a_placement_is_current_from_its_start_until_its_end_date(
    start: date, end: date | None, is_open: bool, is_current: bool
) -> None:
    placement = Placement(start_date=start, end_date=end)
    assert (placement.open_on(DAY), placement.current_on(DAY)) == (is_open, is_current)


def test_sql_and_python_agree_on_the_current_placement(db_session: Session) -> None:
    child = create_child(db_session)
    placement = create_placement(db_session, child, start_date=date(2026, 1, 5))
    for start, end, is_open, is_current in CASES:
        placement.start_date, placement.end_date = start, end
        db_session.flush()
        found = db_session.execute(
            select(Placement.open_on(DAY), Placement.current_on(DAY)).where(
                Placement.id == placement.id
            )
        ).one()
        assert tuple(bool(v) for v in found) == (is_open, is_current), (start, end)
