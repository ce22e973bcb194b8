"""case-system imports: each extract's change report, the changes applied by stable key, why
a notice was late; and the 903 fields a return needs (CIN, UPN, MOTHER, each placement's LS)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 04:00:00.000000

The notifications column is added without a batch operation, so SQLite keeps the triggers
of 0006 on that table.
"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

IMPORT_STATUSES = "'seeded', 'awaiting_confirmation', 'held_for_manager', 'confirmed', 'discarded'"
CHANGE_KINDS = "'new_child', 'start', 'move', 'end', 'correction', 'vanished'"


def upgrade():
    op.create_table(
        "case_system_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=True),
        sa.CheckConstraint(f"status IN ({IMPORT_STATUSES})", name="ck_case_system_imports_status"),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name="fk_case_system_imports_created_by_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["users.id"], name="fk_case_system_imports_confirmed_by_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_case_system_imports"),
    )
    op.create_table(
        "case_system_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("placement_id", sa.Integer(), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kind IN ({CHANGE_KINDS})", name="ck_case_system_changes_kind"),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["case_system_imports.id"],
            name="fk_case_system_changes_import_id_case_system_imports",
        ),
        sa.ForeignKeyConstraint(
            ["child_id"], ["children.id"], name="fk_case_system_changes_child_id_children"
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placements.id"],
            name="fk_case_system_changes_placement_id_placements",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_case_system_changes"),
        sa.UniqueConstraint("key", name="uq_case_system_changes_key"),
    )
    op.create_index("ix_case_system_changes_import_id", "case_system_changes", ["import_id"])
    op.create_index("ix_case_system_changes_child_id", "case_system_changes", ["child_id"])
    op.add_column("notifications", sa.Column("late_reason", sa.String(length=200), nullable=True))
    op.add_column("children", sa.Column("category_of_need", sa.String(length=2), nullable=True))
    op.add_column("children", sa.Column("upn", sa.String(length=13), nullable=True))
    op.add_column("children", sa.Column("mother", sa.Boolean(), nullable=True))
    op.add_column("placements", sa.Column("legal_status", sa.String(length=2), nullable=True))


def downgrade():
    # SQLite drops a column in place (3.35+); no batch, so the 0006 triggers stay.
    op.drop_column("placements", "legal_status")
    op.drop_column("children", "mother")
    op.drop_column("children", "upn")
    op.drop_column("children", "category_of_need")
    op.drop_column("notifications", "late_reason")
    op.drop_index("ix_case_system_changes_child_id", table_name="case_system_changes")
    op.drop_index("ix_case_system_changes_import_id", table_name="case_system_changes")
    op.drop_table("case_system_changes")
    op.drop_table("case_system_imports")
