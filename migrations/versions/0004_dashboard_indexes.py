"""dashboard indexes: notices awaiting acknowledgement by event, and sent by recipient kind

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 19:40:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        # overdue statutory notices in acknowledge-by order, reminders (also "sent", for ever)
        # skipped in the index, not the table
        batch_op.create_index(
            "ix_notifications_status_acknowledge_by_event",
            ["status", "acknowledge_by", "event"],
            unique=False,
        )
        # the notices sent to authorities in the last twelve months
        batch_op.create_index(
            "ix_notifications_recipient_kind_sent_at", ["recipient_kind", "sent_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_recipient_kind_sent_at")
        batch_op.drop_index("ix_notifications_status_acknowledge_by_event")
