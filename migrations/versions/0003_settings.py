"""settings: values the index keeps about itself; indexes for sync and snapshots

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

``settings`` holds small values by key, such as what the last coverage snapshot covered,
so that a sync can tell that nothing it would snapshot has moved without recomputing.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("catalog_files", schema=None) as batch_op:
        batch_op.create_index("ix_catalog_files_synced_at", ["synced_at"], unique=False)
    with op.batch_alter_table("snapshots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_snapshots_article_language", ["article_id", "language"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("snapshots", schema=None) as batch_op:
        batch_op.drop_index("ix_snapshots_article_language")
    with op.batch_alter_table("catalog_files", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_files_synced_at")
    op.drop_table("settings")
