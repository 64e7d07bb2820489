"""published: translations of an article aligned from what the publisher published

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

One row per article and language whose published translation ``align`` brought into the
catalog: the file or URL it came from, its date, and the units and share of words aligned.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "published",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_pk", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=1000), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("aligned_units", sa.Integer(), nullable=False),
        sa.Column("aligned_words", sa.Integer(), nullable=False),
        sa.Column("aligned_percent", sa.Float(), nullable=False),
        sa.Column("aligned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_pk"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("article_pk", "language", name="uq_published_article_language"),
    )


def downgrade() -> None:
    op.drop_table("published")
