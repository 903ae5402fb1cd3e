"""Frozen digest figures, the outbox rows that refer to them, the language seen from Telegram.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 11:12:19.409667
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types


revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("group_code", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_figures")),
        sa.UniqueConstraint("month", "subject", name=op.f("uq_digest_figures_month_subject")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_digest_id"), ["digest_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_digest_id_digest_figures"),
            "digest_figures",
            ["digest_id"],
            ["id"],
        )

    with op.batch_alter_table("telegram_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "telegram_language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("telegram_account", schema=None) as batch_op:
        batch_op.drop_column("telegram_language")

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_digest_id_digest_figures"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_outbox_digest_id"))
        batch_op.drop_column("digest_id")

    op.drop_table("digest_figures")
