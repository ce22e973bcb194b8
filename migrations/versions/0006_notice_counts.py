"""notice counts: the dashboard's monthly totals of statutory notices, kept by triggers

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 20:10:00.000000

Each statutory notice, once sent, adds one to the row of (UK month sent, authority or '',
acknowledged, tenths of a day to acknowledge). Triggers on notifications take its old
contribution away and add its new one in the same transaction as every insert, update and
delete, so the totals are exact whichever code writes the notice. Note for later migrations:
on SQLite, a batch operation that recreates the notifications table drops its triggers;
such a migration must create them again (`create_triggers` below).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STATUTORY = "('placement_start', 'address_change', 'placement_end')"
AWAITING = f"status = 'sent' AND event IN {STATUTORY}"
KEY = "month, authority_code, acknowledged, tenths"
# the columns whose change can move a notice between rows, or change what it adds
WATCHED = (
    "event", "recipient_kind", "recipient_code", "send_by", "sent_at", "acknowledge_by",
    "acknowledged_at",
)  # fmt: skip


def _uk_date(dialect, ts):
    """The same UK date as notify/dashboard/sql.py's uk_date, written out."""
    if dialect == "postgresql":
        return f"CAST(timezone('Europe/London', {ts}) AS DATE)"
    year = f"strftime('%Y', {ts})"
    starts = f"datetime({year} || '-04-01', 'weekday 0', '-7 days', '+1 hour')"
    ends = f"datetime({year} || '-11-01', 'weekday 0', '-7 days', '+1 hour')"
    return (
        f"(CASE WHEN {ts} >= {starts} AND {ts} < {ends} THEN date({ts}, '+1 hour') "
        f"ELSE date({ts}) END)"
    )


def _contribution(dialect, n, sign):
    """What the notice `n` (a row alias, NEW or OLD) adds to its row, as a SELECT list."""
    sent, acked = f"{n}.sent_at", f"{n}.acknowledged_at"
    if dialect == "postgresql":
        month = f"CAST(date_trunc('month', timezone('Europe/London', {sent})) AS DATE)"
        days = f"(EXTRACT(EPOCH FROM ({acked} - {sent})) / 86400.0)"
        yes, no = "true", "false"
    else:
        month = f"strftime('%Y-%m-01', {_uk_date(dialect, sent)})"
        days = f"(julianday({acked}) - julianday({sent}))"
        yes, no = "1", "0"
    values = (
        month,
        f"CASE WHEN {n}.recipient_kind = 'authority' THEN COALESCE({n}.recipient_code, '') "
        "ELSE '' END",
        f"CASE WHEN {acked} IS NULL THEN {no} ELSE {yes} END",
        # tenths of a day, rounded as the dashboard's histogram always has
        f"CASE WHEN {acked} IS NULL THEN 0 ELSE CAST(round({days} * 10) AS INTEGER) END",
        f"{sign}1",
        f"CASE WHEN {acked} IS NOT NULL AND {_uk_date(dialect, acked)} <= {n}.acknowledge_by "
        f"THEN {sign}1 ELSE 0 END",
        f"CASE WHEN {_uk_date(dialect, sent)} > {n}.send_by THEN {sign}1 ELSE 0 END",
    )
    names = (*KEY.split(", "), "notices", "in_time", "sent_late")
    return ", ".join(f"{value} AS {name}" for value, name in zip(values, names, strict=True))


def _counted(n):
    return f"{n}.sent_at IS NOT NULL AND {n}.event IN {STATUTORY}"


UPSERT = (
    f"ON CONFLICT ({KEY}) DO UPDATE SET notices = notice_counts.notices + excluded.notices, "
    "in_time = notice_counts.in_time + excluded.in_time, "
    "sent_late = notice_counts.sent_late + excluded.sent_late"
)
INSERT = f"INSERT INTO notice_counts ({KEY}, notices, in_time, sent_late)"


def _postgresql_triggers():
    # One statement per change, its rows locked in key order: two transactions moving
    # notices between the same rows queue rather than deadlock.
    op.execute(
        f"""
        CREATE FUNCTION count_notice() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {INSERT}
            SELECT {KEY}, sum(notices), sum(in_time), sum(sent_late) FROM (
                SELECT {_contribution("postgresql", "OLD", "-")}
                WHERE TG_OP <> 'INSERT' AND {_counted("OLD")}
                UNION ALL
                SELECT {_contribution("postgresql", "NEW", "")}
                WHERE TG_OP <> 'DELETE' AND {_counted("NEW")}
            ) AS change
            GROUP BY {KEY}
            HAVING sum(notices) <> 0 OR sum(in_time) <> 0 OR sum(sent_late) <> 0
            ORDER BY {KEY}
            {UPSERT};
            RETURN NULL;
        END
        $$
        """
    )
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)
    for event, when in (
        ("INSERT", "NEW.sent_at IS NOT NULL"),
        (f"UPDATE OF {', '.join(WATCHED)}", changed),
        ("DELETE", "OLD.sent_at IS NOT NULL"),
    ):
        name = event.split()[0].lower()
        op.execute(
            f"CREATE TRIGGER notice_counts_{name} AFTER {event} ON notifications "
            f"FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION count_notice()"
        )


def _sqlite_triggers():
    def add(n, sign):
        return f"{INSERT} SELECT {_contribution('sqlite', n, sign)} WHERE {_counted(n)} {UPSERT};"

    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED)
    for event, when, body in (
        ("INSERT", "", add("NEW", "")),
        (f"UPDATE OF {', '.join(WATCHED)}", f"WHEN {changed}", add("OLD", "-") + add("NEW", "")),
        ("DELETE", "", add("OLD", "-")),
    ):
        name = event.split()[0].lower()
        op.execute(
            f"CREATE TRIGGER notice_counts_{name} AFTER {event} ON notifications "
            f"FOR EACH ROW {when} BEGIN {body} END"
        )


def create_triggers():
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def drop_triggers():
    for name in ("insert", "update", "delete"):
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER notice_counts_{name} ON notifications")
        else:
            op.execute(f"DROP TRIGGER notice_counts_{name}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION count_notice()")


def upgrade():
    op.create_table(
        "notice_counts",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("authority_code", sa.String(length=40), nullable=False),
        sa.Column("acknowledged", sa.Boolean(), nullable=False),
        sa.Column("tenths", sa.Integer(), nullable=False),
        sa.Column("notices", sa.Integer(), nullable=False),
        sa.Column("in_time", sa.Integer(), nullable=False),
        sa.Column("sent_late", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "month", "authority_code", "acknowledged", "tenths", name=op.f("pk_notice_counts")
        ),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        # statutory notices awaiting acknowledgement in chase-list order, without the
        # reminders (also "sent", for ever)
        batch_op.create_index(
            "ix_notifications_awaiting",
            ["acknowledge_by", "id"],
            unique=False,
            postgresql_where=sa.text(AWAITING),
            sqlite_where=sa.text(AWAITING),
        )
    dialect = op.get_bind().dialect.name
    op.execute(
        f"{INSERT} SELECT {KEY}, sum(notices), sum(in_time), sum(sent_late) FROM ("
        f"SELECT {_contribution(dialect, 'n', '')} FROM notifications AS n WHERE {_counted('n')}"
        f") AS notice GROUP BY {KEY}"
    )
    create_triggers()


def downgrade():
    drop_triggers()
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_awaiting")
    op.drop_table("notice_counts")
