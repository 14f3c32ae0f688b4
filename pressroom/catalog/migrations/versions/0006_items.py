"""Printed items: a publication in one language and one format, each with its
own stock, limit per order and status.

Today's stock of a publication moves to one item: its first layout in
English (or in its first language when it has no English), as the manifest
lists them (db.migrate hands the manifest's publications over). A publication
the manifest does not know keeps its stock on an item of format "" (not
recorded), which cannot be ordered. Order lines and stock events point at
the item of their publication, language and first layout.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import context, op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

LEGACY_LIMIT = 25  # the source schema's default limit per order


def _first_item(facts: dict, lang: str | None = None) -> tuple[str, str]:
    """(lang, layout) of a publication's first item (in ``lang`` when given)."""
    languages = facts.get("languages") or ["en"]
    lang = lang or ("en" if "en" in languages else languages[0])
    layouts = facts.get("layouts") or [""]
    return lang, layouts[0]


def _create_items() -> sa.Table:
    return op.create_table(
        "items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(100), nullable=False, index=True),
        sa.Column("lang", sa.String(12), nullable=False),
        sa.Column("layout", sa.String(100), nullable=False),
        sa.Column("stock", sa.Integer, nullable=False),
        sa.Column("limit_per_order", sa.Integer, nullable=False),
        sa.Column("printed", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.CheckConstraint("stock >= 0", name="item_stock_not_negative"),
        sa.UniqueConstraint("slug", "lang", "layout", name="item_once"),
    )


class _Items:
    """Item ids by (slug, lang, layout), made on first use."""

    def __init__(self, connection, table: sa.Table, publications: dict):
        self.connection, self.table, self.publications = connection, table, publications
        self.ids: dict[tuple[str, str, str], int] = {}

    def id_of(self, slug: str, lang: str | None = None, stock: int = 0) -> int:
        facts = self.publications.get(slug, {})
        lang, layout = _first_item(facts, lang)
        key = (slug, lang, layout)
        if key not in self.ids:
            ordering = facts.get("ordering", {})
            self.ids[key] = self.connection.execute(self.table.insert().values(
                slug=slug, lang=lang, layout=layout, stock=stock,
                limit_per_order=ordering.get("limit_per_order", LEGACY_LIMIT),
                printed=bool(ordering.get("printed", True)), status="orderable")).inserted_primary_key[0]
        return self.ids[key]


def upgrade() -> None:
    connection = op.get_bind()
    publications = context.config.attributes.get("publications") or {}
    items = _Items(connection, _create_items(), publications)
    titles = sa.table("titles", sa.column("slug", sa.String), sa.column("stock", sa.Integer))
    title_items = {slug: items.id_of(slug, stock=stock)
                   for slug, stock in connection.execute(sa.select(titles.c.slug, titles.c.stock)).all()}

    with op.batch_alter_table("order_lines") as batch:
        batch.add_column(sa.Column("item_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("layout", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("number", sa.String(40), nullable=False, server_default=""))
    lines = sa.table("order_lines", sa.column("id", sa.Integer), sa.column("slug", sa.String),
                     sa.column("lang", sa.String), sa.column("item_id", sa.Integer),
                     sa.column("layout", sa.String), sa.column("number", sa.String))
    for line_id, slug, lang in connection.execute(sa.select(lines.c.id, lines.c.slug, lines.c.lang)).all():
        facts = publications.get(slug, {})
        connection.execute(lines.update().where(lines.c.id == line_id).values(
            item_id=items.id_of(slug, lang), layout=_first_item(facts, lang)[1], number=facts.get("number", "")))

    with op.batch_alter_table("stock_events") as batch:
        batch.add_column(sa.Column("item_id", sa.Integer, nullable=True))
    events = sa.table("stock_events", sa.column("slug", sa.String), sa.column("item_id", sa.Integer))
    for slug, item_id in title_items.items():
        connection.execute(events.update().where(events.c.slug == slug).values(item_id=item_id))

    _point_at_items()
    op.drop_table("titles")


def _point_at_items() -> None:
    """order_lines and stock_events: the slug's foreign key to titles gives
    way to item_id's to items (SQLite names unnamed keys by convention)."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    convention = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
    for table in ("order_lines", "stock_events"):
        old_key = f"fk_{table}_slug_titles" if sqlite else f"{table}_slug_fkey"
        with op.batch_alter_table(table, naming_convention=convention) as batch:
            batch.drop_constraint(old_key, type_="foreignkey")
            if table == "stock_events":
                batch.drop_index("ix_stock_events_slug")
                batch.drop_column("slug")
            batch.alter_column("item_id", existing_type=sa.Integer, nullable=False)
            batch.create_foreign_key(f"{table}_item_id_fkey", "items", ["item_id"], ["id"])
            batch.create_index(f"ix_{table}_item_id", ["item_id"])
            if table == "order_lines":
                batch.alter_column("layout", existing_type=sa.String(100), server_default=None)
                batch.alter_column("number", existing_type=sa.String(40), server_default=None)
                batch.alter_column("lang", existing_type=sa.String(2), type_=sa.String(12))


def downgrade() -> None:
    raise NotImplementedError("items cannot be folded back into one stock per publication")
