"""objections, their items and the corrections they cause; messages know their objection

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 13:00:00

Seed 000 §8: a client objects in writing to the objections mailbox; the head of service explains or changes the
category. An objection is not a ticket: it has its own table, the tickets and periods it disputes as items, and
every change of a billed ticket's category is a correction that makes its period's statement due for an
amended version (amended_by stays empty until that version is issued).
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("messages", recreate="never") as batch:
        batch.add_column(sa.Column("objection_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_messages_objection_id"), "messages", ["objection_id"])
    op.create_table(
        "objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(100), nullable=True),
        sa.Column("contact", sa.String(320), nullable=False),
        sa.Column("contact_name", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("reasoning", sa.Text(), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message_row", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Text(), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("refusal", sa.String(40), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(320), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objections")),
    )
    op.create_index(op.f("ix_objections_client_id"), "objections", ["client_id"])
    op.create_table(
        "objection_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(7), nullable=True),
        sa.Column("statement_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(50), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("new_category", sa.String(50), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(320), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["objection_id"], ["objections.id"],
                                name=op.f("fk_objection_items_objection_id_objections")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_objection_items_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection_items")),
    )
    op.create_index(op.f("ix_objection_items_objection_id"), "objection_items", ["objection_id"])
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(100), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(50), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("amended_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_corrections_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    op.create_index("ix_corrections_due", "corrections", ["amended_by", "client_id", "period"])


def downgrade():
    op.drop_index("ix_corrections_due", table_name="corrections")
    op.drop_table("corrections")
    op.drop_index(op.f("ix_objection_items_objection_id"), table_name="objection_items")
    op.drop_table("objection_items")
    op.drop_index(op.f("ix_objections_client_id"), table_name="objections")
    op.drop_table("objections")
    op.drop_index(op.f("ix_messages_objection_id"), table_name="messages")
    with op.batch_alter_table("messages", recreate="never") as batch:
        batch.drop_column("objection_id")
