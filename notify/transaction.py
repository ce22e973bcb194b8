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
def transaction(*, keep_loaded: bool = False) -> Iterator[Session]:
    """`keep_loaded`: the commit leaves what the request already read as it is, rather than
    expiring it to be read again. For a page that has read what it shows and writes only its
    audit row: expiring would make the template read every row again, one by one."""
    session = db.session()
    try:
        yield session
        if keep_loaded:
            expire, session.expire_on_commit = session.expire_on_commit, False
            try:
                session.commit()
            finally:
                session.expire_on_commit = expire
        else:
            session.commit()
    except BaseException:
        session.rollback()
        raise
