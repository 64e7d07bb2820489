"""check_cache: what ``check`` found in each file, to reuse while the file is unchanged

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

One row per template, catalog or article source (project-relative path): the size and
modification time it had when it was checked; its findings and word counts (or a source's
fingerprint), with the versions of the rules and the settings they were found under; and,
apart, because only files checked again need them, its wrong-language verdicts.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "check_cache",
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("verdicts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("path"),
    )


def downgrade() -> None:
    op.drop_table("check_cache")
