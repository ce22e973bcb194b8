"""chasing: reminders and escalations as notifications; roles for SQA managers and partners

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 18:20:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

EVENTS = ("placement_start", "address_change", "placement_end", "sqa_alert")
NEW_EVENTS = ("reminder", "escalation")
ROLES = (
    "area_authority", "previous_area_authority", "home_health_body", "placement_health_body",
    "gp", "new_gp", "school", "iro", "police", "sqa", "child", "parent",
    "contact_order_holder", "previous_carer", "carer",
)  # fmt: skip
NEW_ROLES = ("sqa_manager", "virtual_school", "lac_health_team")
ROLE_CHECKS = (
    ("contacts", "role"),
    ("withholdings", "role"),
    ("notifications", "recipient_role"),
)


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _replace_checks(events, roles):
    for table, column in ROLE_CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
            batch_op.create_check_constraint(column, _in(column, roles))
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notifications_event"), type_="check")
        batch_op.create_check_constraint("event", _in("event", events))


def upgrade():
    _replace_checks(EVENTS + NEW_EVENTS, ROLES + NEW_ROLES)
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminder_of_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("chase_number", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_notifications_reminder_of_id_notifications"),
            "notifications",
            ["reminder_of_id"],
            ["id"],
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_notifications_reminder_of_id"), ["reminder_of_id", "event", "chase_number"]
        )
        batch_op.create_index(
            batch_op.f("ix_notifications_reminder_of_id"), ["reminder_of_id"], unique=False
        )
        batch_op.create_index(
            "ix_notifications_status_acknowledge_by", ["status", "acknowledge_by"], unique=False
        )
        batch_op.create_index("ix_notifications_sent_at", ["sent_at"], unique=False)


def downgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_sent_at")
        batch_op.drop_index("ix_notifications_status_acknowledge_by")
        batch_op.drop_index(batch_op.f("ix_notifications_reminder_of_id"))
        batch_op.drop_constraint(batch_op.f("uq_notifications_reminder_of_id"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("fk_notifications_reminder_of_id_notifications"), type_="foreignkey"
        )
        batch_op.drop_column("chase_number")
        batch_op.drop_column("reminder_of_id")
    gone = (
        "event IN ('reminder', 'escalation')"
        " OR recipient_role IN ('sqa_manager', 'virtual_school', 'lac_health_team')"
    )
    op.execute(
        "DELETE FROM delivery_attempts WHERE notification_id IN"
        f" (SELECT id FROM notifications WHERE {gone})"
    )
    op.execute(f"DELETE FROM notifications WHERE {gone}")
    op.execute(
        "DELETE FROM contacts WHERE role IN ('sqa_manager', 'virtual_school', 'lac_health_team')"
    )
    _replace_checks(EVENTS, ROLES)
