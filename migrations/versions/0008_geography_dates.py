"""geography dates: effective dates on authorities, health bodies and district links;
successions; grid references on postcodes; where an adjoining pair came from

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 04:00:00.000000

district_health_bodies is rebuilt with a surrogate key (a district may be linked to the same
health body in two periods). Its rows are reference data: the migration forgets the loaded
checksums of the files whose shape changed, so the next `flask seed reference` reloads them.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

VALID_RANGE = "valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to"
RELOAD = ("health_bodies", "district_health_bodies", "districts", "postcodes", "authorities")


def _dates() -> list[sa.Column]:
    return [sa.Column("valid_from", sa.Date(), nullable=True), sa.Column("valid_to", sa.Date())]


def upgrade() -> None:
    for table in ("authorities", "health_bodies"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("organisation", sa.String(length=12), nullable=True))
            for column in _dates():
                batch.add_column(column)
            batch.create_index(op.f(f"ix_{table}_organisation"), ["organisation"])
            batch.create_check_constraint("valid_range", VALID_RANGE)
    with op.batch_alter_table("postcodes") as batch:
        batch.add_column(sa.Column("easting", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("northing", sa.Integer(), nullable=True))
    with op.batch_alter_table("adjoining_authorities") as batch:
        batch.add_column(
            sa.Column("source", sa.String(length=10), nullable=False, server_default="seeds")
        )
    with op.batch_alter_table("adjoining_authorities") as batch:
        batch.alter_column("source", server_default=None)

    op.drop_table("district_health_bodies")
    op.create_table(
        "district_health_bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_code", sa.String(length=9), nullable=False),
        sa.Column("health_body_code", sa.String(length=9), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        *_dates(),
        sa.Column("source", sa.String(length=60), nullable=False),
        sa.CheckConstraint(
            "share > 0 AND share <= 1", name=op.f("ck_district_health_bodies_share")
        ),
        sa.CheckConstraint(VALID_RANGE, name=op.f("ck_district_health_bodies_valid_range")),
        sa.ForeignKeyConstraint(
            ["district_code"],
            ["districts.code"],
            name=op.f("fk_district_health_bodies_district_code_districts"),
        ),
        sa.ForeignKeyConstraint(
            ["health_body_code"],
            ["health_bodies.code"],
            name=op.f("fk_district_health_bodies_health_body_code_health_bodies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_health_bodies")),
    )
    op.create_index(
        op.f("ix_district_health_bodies_district_code"), "district_health_bodies", ["district_code"]
    )
    op.create_index(
        op.f("ix_district_health_bodies_health_body_code"),
        "district_health_bodies",
        ["health_body_code"],
    )
    op.create_table(
        "district_authorities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_code", sa.String(length=9), nullable=False),
        sa.Column("authority_code", sa.String(length=9), nullable=False),
        *_dates(),
        sa.Column("source", sa.String(length=60), nullable=False),
        sa.CheckConstraint(VALID_RANGE, name=op.f("ck_district_authorities_valid_range")),
        sa.ForeignKeyConstraint(
            ["district_code"],
            ["districts.code"],
            name=op.f("fk_district_authorities_district_code_districts"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_code"],
            ["authorities.code"],
            name=op.f("fk_district_authorities_authority_code_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_authorities")),
    )
    op.create_index(
        op.f("ix_district_authorities_district_code"), "district_authorities", ["district_code"]
    )
    op.create_index(
        op.f("ix_district_authorities_authority_code"), "district_authorities", ["authority_code"]
    )
    op.create_table(
        "successions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=12), nullable=False),
        sa.Column("from_code", sa.String(length=9), nullable=False),
        sa.Column("to_code", sa.String(length=9), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=60), nullable=False),
        sa.CheckConstraint("body IN ('authority', 'health_body')", name=op.f("ck_successions_body")),
        sa.CheckConstraint(
            "kind IN ('whole', 'part', 'recode')", name=op.f("ck_successions_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_successions")),
    )
    op.create_index(op.f("ix_successions_from_code"), "successions", ["from_code"])
    reference_versions = sa.table("reference_versions", sa.column("name", sa.String))
    op.execute(reference_versions.delete().where(reference_versions.c.name.in_(RELOAD)))


def downgrade() -> None:
    op.drop_index(op.f("ix_successions_from_code"), table_name="successions")
    op.drop_table("successions")
    op.drop_table("district_authorities")
    op.drop_table("district_health_bodies")
    op.create_table(
        "district_health_bodies",
        sa.Column("district_code", sa.String(length=9), nullable=False),
        sa.Column("health_body_code", sa.String(length=9), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.CheckConstraint(
            "share > 0 AND share <= 1", name=op.f("ck_district_health_bodies_share")
        ),
        sa.ForeignKeyConstraint(
            ["district_code"],
            ["districts.code"],
            name=op.f("fk_district_health_bodies_district_code_districts"),
        ),
        sa.ForeignKeyConstraint(
            ["health_body_code"],
            ["health_bodies.code"],
            name=op.f("fk_district_health_bodies_health_body_code_health_bodies"),
        ),
        sa.PrimaryKeyConstraint(
            "district_code", "health_body_code", name=op.f("pk_district_health_bodies")
        ),
    )
    with op.batch_alter_table("adjoining_authorities") as batch:
        batch.drop_column("source")
    with op.batch_alter_table("postcodes") as batch:
        batch.drop_column("northing")
        batch.drop_column("easting")
    for table in ("health_bodies", "authorities"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_valid_range"), type_="check")
            batch.drop_index(op.f(f"ix_{table}_organisation"))
            batch.drop_column("valid_to")
            batch.drop_column("valid_from")
            batch.drop_column("organisation")
