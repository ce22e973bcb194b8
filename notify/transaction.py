"""The one owner of the commit.

A request or a command does its work inside `transaction()`: the work is committed when the
block ends and rolled back if anything in it raises (the commit itself included), so no
half-written record survives an error and no caller commits or rolls back by hand. The
caller maps the exception to a page message, an API error or a command's error.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from notify.extensions import db


@contextmanager
def transaction() -> Iterator[Session]:
    session = db.session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
