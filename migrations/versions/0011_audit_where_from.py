"""audit events record where a request came from (the client's address and its browser) and
every child they concern (audit_children), for the audit trail page

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
    op.create_table(
        "audit_children",
        sa.Column("audit_event_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_event_id"],
            ["audit_events.id"],
            name=op.f("fk_audit_children_audit_event_id_audit_events"),
        ),
        sa.PrimaryKeyConstraint("audit_event_id", "child_id", name=op.f("pk_audit_children")),
    )
    op.create_index(op.f("ix_audit_children_child_id"), "audit_children", ["child_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_children_child_id"), table_name="audit_children")
    op.drop_table("audit_children")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index("ix_audit_events_user_id")
        batch.drop_column("user_agent")
        batch.drop_column("remote_address")
