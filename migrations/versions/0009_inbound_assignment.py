"""inbound assignment: who in business support is triaging each inbound notice

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 04:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assigned_to_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_inbound_notices_assigned_to_id_users"),
            "users",
            ["assigned_to_id"],
            ["id"],
        )
        batch_op.create_index(
            batch_op.f("ix_inbound_notices_assigned_to_id"), ["assigned_to_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("inbound_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_notices_assigned_to_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_inbound_notices_assigned_to_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("assigned_to_id")
