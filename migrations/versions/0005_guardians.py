"""Guardians: guardianships, guardian link codes, adults' consent, a guardian's chosen student.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 13:33:53.454953
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types


revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "guardian_consent",
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.Column("asked_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["student.id"],
            name=op.f("fk_guardian_consent_student_id_student"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("student_id", name=op.f("pk_guardian_consent")),
    )
    op.create_table(
        "guardianship",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("relation", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("linked_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("added_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["student.id"],
            name=op.f("fk_guardianship_student_id_student"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guardianship")),
        sa.UniqueConstraint(
            "student_id", "name_key", name=op.f("uq_guardianship_student_id_name_key")
        ),
    )
    with op.batch_alter_table("guardianship", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guardianship_student_id"), ["student_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_guardianship_telegram_id"), ["telegram_id"], unique=False
        )

    with op.batch_alter_table("link_code", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guardianship_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_link_code_guardianship_id"), ["guardianship_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_link_code_guardianship_id_guardianship"),
            "guardianship",
            ["guardianship_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("telegram_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ward_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_telegram_account_ward_id_student"), "student", ["ward_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("telegram_account", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_telegram_account_ward_id_student"), type_="foreignkey"
        )
        batch_op.drop_column("ward_id")

    with op.batch_alter_table("link_code", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_link_code_guardianship_id_guardianship"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_link_code_guardianship_id"))
        batch_op.drop_column("guardianship_id")

    with op.batch_alter_table("guardianship", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guardianship_telegram_id"))
        batch_op.drop_index(batch_op.f("ix_guardianship_student_id"))

    op.drop_table("guardianship")
    op.drop_table("guardian_consent")
