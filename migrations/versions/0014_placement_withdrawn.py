"""a planned placement withdrawn before it starts: when, why and by whom; the withdrawal
notice's event

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 22:45:00.000000
"""

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

EVENTS = (
    "placement_start", "address_change", "placement_end", "sqa_alert", "reminder",
    "escalation", "query", "reconciliation",
)  # fmt: skip
NEW_EVENTS = ("placement_withdrawn",)


def _notice_count_triggers():
    """On SQLite a batch operation recreates the notifications table and drops the triggers
    0006 put on it: create them again, as that migration says."""
    path = Path(__file__).with_name("0006_notice_counts.py")
    spec = importlib.util.spec_from_file_location("notice_counts_0006", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _replace_event_check(events):
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _notice_count_triggers().drop_triggers()
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notifications_event"), type_="check")
        batch_op.create_check_constraint(
            "event", f"event IN ({', '.join(repr(e) for e in events)})"
        )
    if sqlite:
        _notice_count_triggers().create_triggers()


def upgrade() -> None:
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_reason", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_placements_withdrawn_by_id_users"), "users", ["withdrawn_by_id"], ["id"]
        )
    _replace_event_check(EVENTS + NEW_EVENTS)


def downgrade() -> None:
    withdrawals = "SELECT id FROM notifications WHERE event = 'placement_withdrawn'"
    op.execute(f"DELETE FROM delivery_attempts WHERE notification_id IN ({withdrawals})")
    op.execute("DELETE FROM notifications WHERE event = 'placement_withdrawn'")
    _replace_event_check(EVENTS)
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_placements_withdrawn_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("withdrawn_by_id")
        batch_op.drop_column("withdrawn_reason")
        batch_op.drop_column("withdrawn_at")
