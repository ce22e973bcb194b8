"""The dashboard's running totals of statutory notices, so that a year of figures is read from
a few thousand rows rather than every notice sent in the year."""

from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class NoticeCount(Base):
    """Statutory notices sent in a month (UK time) to one authority (or to anyone else), by
    whether and how soon they were acknowledged.

    Kept by triggers on `notifications` (migration 0006) in the transaction of every insert,
    update or delete that changes a notice's contribution, however it is written (the outbox,
    the demo's bulk inserts, plain SQL). A notice counts here once it has been sent.
    """

    __tablename__ = "notice_counts"

    month: Mapped[date] = mapped_column(primary_key=True)  # the first day of the month sent
    # the recipient's ONS code for a notice to an authority; '' for every other recipient
    authority_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    acknowledged: Mapped[bool] = mapped_column(primary_key=True)
    # days from sending to acknowledgement, in tenths of a day (0 while not acknowledged)
    tenths: Mapped[int] = mapped_column(primary_key=True)
    notices: Mapped[int]
    in_time: Mapped[int]  # acknowledged on or before the acknowledge-by date (UK time)
    sent_late: Mapped[int]  # sent (UK date) after the send-by date
