"""fetched: pages that fetch stored, with their URL and version

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08

One row per page of the publisher's site that ``fetch`` stored (an article under the
sources, or a published translation): its URL, the file, the ETag and Last-Modified the
server gave for the version stored (sent back in conditional requests), when it was
fetched and last checked, and for a translation the version last aligned.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fetched",
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("article_id", sa.String(length=500), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aligned_sha256", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("url"),
    )
    op.create_index("ix_fetched_article", "fetched", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_fetched_article", table_name="fetched")
    op.drop_table("fetched")
