"""inbound: notices from other authorities, hosted children, and federation

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 19:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

EVENTS = (
    "placement_start", "address_change", "placement_end", "sqa_alert", "reminder", "escalation",
)  # fmt: skip
NEW_EVENTS = ("query", "reconciliation")
ROLES = (
    "area_authority", "previous_area_authority", "home_health_body", "placement_health_body",
    "gp", "new_gp", "school", "iro", "police", "sqa", "sqa_manager", "virtual_school",
    "lac_health_team", "child", "parent", "contact_order_holder", "previous_carer", "carer",
)  # fmt: skip
NEW_ROLES = ("social_worker",)
ROLE_CHECKS = (("contacts", "role"), ("withholdings", "role"), ("notifications", "recipient_role"))


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
    op.create_table(
        "inbound_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("placing_authority_code", sa.String(length=9), nullable=False),
        sa.Column("notice_type", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("raw_body", sa.Text(), nullable=False),
        sa.Column("body_digest", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("api_client_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("placement_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "notice_type IN ('placement_start', 'address_change', 'placement_end')",
            name=op.f("ck_inbound_notices_notice_type"),
        ),
        sa.CheckConstraint(
            "status IN ('received', 'accepted', 'queried', 'rejected')",
            name=op.f("ck_inbound_notices_status"),
        ),
        sa.ForeignKeyConstraint(
            ["api_client_id"],
            ["api_clients.id"],
            name=op.f("fk_inbound_notices_api_client_id_api_clients"),
        ),
        sa.ForeignKeyConstraint(
            ["child_id"], ["children.id"], name=op.f("fk_inbound_notices_child_id_children")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_inbound_notices_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placements.id"],
            name=op.f("fk_inbound_notices_placement_id_placements"),
        ),
        sa.ForeignKeyConstraint(
            ["placing_authority_code"],
            ["authorities.code"],
            name=op.f("fk_inbound_notices_placing_authority_code_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_notices")),
        sa.UniqueConstraint(
            "placing_authority_code",
            "reference",
            name=op.f("uq_inbound_notices_placing_authority_code"),
        ),
    )
    with op.batch_alter_table("inbound_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbound_notices_child_id"), ["child_id"], unique=False
        )
        batch_op.create_index(
            "ix_inbound_notices_status_received_at", ["status", "received_at"], unique=False
        )

    _replace_checks(EVENTS + NEW_EVENTS, ROLES + NEW_ROLES)
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.alter_column("child_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("placement_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("inbound_notice_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("remote_id", sa.String(length=40), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_notifications_inbound_notice_id"), ["inbound_notice_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_notifications_inbound_notice_id_inbound_notices"),
            "inbound_notices",
            ["inbound_notice_id"],
            ["id"],
        )
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.alter_column("home_postcode", existing_type=sa.String(length=8), nullable=True)
    with op.batch_alter_table("authorities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("api_key_encrypted", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("authorities", schema=None) as batch_op:
        batch_op.drop_column("api_key_encrypted")
    gone = (
        "event IN ('query', 'reconciliation') OR recipient_role = 'social_worker'"
        " OR child_id IS NULL OR placement_id IS NULL"
    )
    op.execute(
        "DELETE FROM delivery_attempts WHERE notification_id IN"
        f" (SELECT id FROM notifications WHERE {gone})"
    )
    op.execute(f"DELETE FROM notifications WHERE {gone}")
    op.execute("DELETE FROM contacts WHERE role = 'social_worker'")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_notifications_inbound_notice_id_inbound_notices"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_notifications_inbound_notice_id"))
        batch_op.drop_column("remote_id")
        batch_op.drop_column("inbound_notice_id")
        batch_op.alter_column("placement_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("child_id", existing_type=sa.Integer(), nullable=False)
    _replace_checks(EVENTS, ROLES)
    op.drop_table("inbound_notices")
    # children.home_postcode stays nullable: hosted children recorded meanwhile have none
