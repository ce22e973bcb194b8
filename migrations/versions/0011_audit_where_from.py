"""audit events record where a request came from: the client's address and its browser

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 22:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("remote_address", sa.String(length=45), nullable=True))
        batch.add_column(sa.Column("user_agent", sa.String(length=200), nullable=True))
        batch.create_index("ix_audit_events_user_id", ["user_id"])


def downgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index("ix_audit_events_user_id")
        batch.drop_column("user_agent")
        batch.drop_column("remote_address")
