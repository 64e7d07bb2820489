"""check_cache.sha256: a kept file's content hash, so that findings survive a new mtime

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

A fresh clone (a CI job restoring the index from its cache) gives every file a new
modification time. With the hash of the bytes that were checked, a file whose size is as
kept is read and hashed instead of checked again, and its row takes the new time. Rows
kept before this revision have no hash: their files are checked again once.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("check_cache") as batch:
        batch.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("check_cache") as batch:
        batch.drop_column("sha256")
