"""section counts: coverage kept per section and language

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Sections get the number of their active units and source words, and a new table keeps,
per section and language, how many of those units are translated, fuzzy and outdated.
Both are filled from the unit states here and kept up to date by the index from then on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("units", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("words", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "section_counts",
        sa.Column("article_pk", sa.Integer(), nullable=False),
        sa.Column("section_index", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("translated", sa.Integer(), nullable=False),
        sa.Column("fuzzy", sa.Integer(), nullable=False),
        sa.Column("outdated", sa.Integer(), nullable=False),
        sa.Column("translated_words", sa.Integer(), nullable=False),
        sa.Column("fuzzy_words", sa.Integer(), nullable=False),
        sa.Column("outdated_words", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_pk"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_pk", "section_index", "language"),
    )
    _fill(op.get_bind())


def _fill(conn: sa.Connection) -> None:
    """Both filled from the units and unit states the index holds (this revision's tables,
    spelled out here so that later changes to the models do not change this migration)."""
    sections = sa.table(
        "sections",
        sa.column("article_pk", sa.Integer),
        sa.column("index", sa.Integer),
        sa.column("units", sa.Integer),
        sa.column("words", sa.Integer),
    )
    units = sa.table(
        "units",
        sa.column("id", sa.Integer),
        sa.column("article_pk", sa.Integer),
        sa.column("section_index", sa.Integer),
        sa.column("words", sa.Integer),
        sa.column("active", sa.Boolean),
    )
    states = sa.table(
        "unit_states",
        sa.column("unit_pk", sa.Integer),
        sa.column("language", sa.String),
        sa.column("state", sa.String),
        sa.column("outdated", sa.Boolean),
    )
    counts = sa.table(
        "section_counts",
        *(
            sa.column(name, sa.Integer)
            for name in (
                "article_pk",
                "section_index",
                "translated",
                "fuzzy",
                "outdated",
                "translated_words",
                "fuzzy_words",
                "outdated_words",
            )
        ),
        sa.column("language", sa.String),
    )
    active = units.c.active.is_(True)
    totals = list(
        conn.execute(
            sa.select(
                units.c.article_pk,
                units.c.section_index,
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(units.c.words), 0),
            )
            .where(active)
            .group_by(units.c.article_pk, units.c.section_index)
        )
    )
    known = {
        (pk, index)
        for pk, index in conn.execute(sa.select(sections.c.article_pk, sections.c["index"]))
    }
    for article_pk, index, n, words in totals:
        if (article_pk, index) in known:
            conn.execute(
                sections.update()
                .where(sections.c.article_pk == article_pk, sections.c["index"] == index)
                .values(units=n, words=words)
            )
        else:
            conn.execute(
                sections.insert().values(article_pk=article_pk, index=index, units=n, words=words)
            )

    def when(
        condition: sa.ColumnElement[bool], value: sa.ColumnElement[int]
    ) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, value), else_=0)), 0)

    translated = states.c.state == "translated"
    fuzzy = states.c.state == "fuzzy"
    outdated = sa.and_(fuzzy, states.c.outdated.is_(True))
    one = sa.literal(1)
    summed = (
        sa.select(
            units.c.article_pk,
            units.c.section_index,
            states.c.language,
            when(translated, one),
            when(fuzzy, one),
            when(outdated, one),
            when(translated, units.c.words),
            when(fuzzy, units.c.words),
            when(outdated, units.c.words),
        )
        .join(states, states.c.unit_pk == units.c.id)
        .where(active, states.c.state.in_(("translated", "fuzzy")))
        .group_by(units.c.article_pk, units.c.section_index, states.c.language)
    )
    conn.execute(
        counts.insert().from_select(
            [
                "article_pk",
                "section_index",
                "language",
                "translated",
                "fuzzy",
                "outdated",
                "translated_words",
                "fuzzy_words",
                "outdated_words",
            ],
            summed,
        )
    )


def downgrade() -> None:
    op.drop_table("section_counts")
    with op.batch_alter_table("sections", schema=None) as batch_op:
        batch_op.drop_column("words")
        batch_op.drop_column("units")
