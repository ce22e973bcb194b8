"""the child's people: postal addresses, history, carers of placements, reg 13(3) decisions
per person, withheld notices, secure mail domains

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 04:20:00.000000

"""

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ROLES = (
    "area_authority", "previous_area_authority", "home_health_body", "placement_health_body",
    "gp", "new_gp", "school", "iro", "police", "sqa", "sqa_manager", "virtual_school",
    "lac_health_team", "social_worker", "child", "parent", "contact_order_holder",
    "previous_carer", "carer",
)  # fmt: skip
NEW_ROLES = ("other",)
STATUSES = ("pending", "needs_address", "sending", "sent", "acknowledged", "failed", "cancelled")
NEW_STATUSES = ("withheld",)
ROLE_CHECKS = (
    ("contacts", "role"),
    ("withholdings", "role"),
    ("notifications", "recipient_role"),
)


def _notice_count_triggers():
    """On SQLite a batch operation recreates the notifications table and drops the triggers
    0006 put on it: create them again, as that migration says."""
    path = Path(__file__).with_name("0006_notice_counts.py")
    spec = importlib.util.spec_from_file_location("notice_counts_0006", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _replace_checks(roles, statuses):
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _notice_count_triggers().drop_triggers()
    for table, column in ROLE_CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
            batch_op.create_check_constraint(column, _in(column, roles))
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notifications_status"), type_="check")
        batch_op.create_check_constraint("status", _in("status", statuses))
    if sqlite:
        _notice_count_triggers().create_triggers()


def upgrade():
    _replace_checks(ROLES + NEW_ROLES, STATUSES + NEW_STATUSES)
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address_line_1", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("address_line_2", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("town", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("postcode", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("placement_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("started_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("ended_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("withhold_reason", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("withhold_decided_by", sa.String(length=200), nullable=True)
        )
        batch_op.add_column(sa.Column("withhold_decided_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_contacts_placement_id_placements"), "placements", ["placement_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_contacts_placement_id"), ["placement_id"], unique=False)
    with op.batch_alter_table("withholdings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("decided_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_withholdings_contact_id_contacts"), "contacts", ["contact_id"], ["id"]
        )
    # a plain ADD COLUMN: the table is not recreated, and keeps its triggers
    op.add_column("notifications", sa.Column("withheld_reason", sa.Text(), nullable=True))
    secure_domains = op.create_table(
        "secure_domains",
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("domain = lower(domain)", name=op.f("ck_secure_domains_lower")),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_secure_domains_added_by_id_users")
        ),
        sa.PrimaryKeyConstraint("domain", name=op.f("pk_secure_domains")),
    )
    # NHSmail meets the secure email standard (DCB1596) by definition.
    op.bulk_insert(
        secure_domains,
        [{"domain": "nhs.net", "added_at": datetime.now(UTC), "added_by_id": None}],
    )


def downgrade():
    op.drop_table("secure_domains")
    op.drop_column("notifications", "withheld_reason")
    with op.batch_alter_table("withholdings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_withholdings_contact_id_contacts"), type_="foreignkey")
        batch_op.drop_column("decided_on")
        batch_op.drop_column("contact_id")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_placement_id"))
        batch_op.drop_constraint(batch_op.f("fk_contacts_placement_id_placements"), type_="foreignkey")
        for column in (
            "updated_at", "withhold_decided_on", "withhold_decided_by", "withhold_reason",
            "ended_on", "started_on", "placement_id", "postcode", "town", "address_line_2",
            "address_line_1",
        ):  # fmt: skip
            batch_op.drop_column(column)
    op.execute("DELETE FROM notifications WHERE status = 'withheld'")
    op.execute("DELETE FROM contacts WHERE role = 'other'")
    _replace_checks(ROLES, STATUSES)
