"""once: what must happen once across every daemon (service-level warnings, the daily digest)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 14:00:00

Each service-level warning (per ticket, clock and level) and each day's digest is claimed by inserting its key
in the same transaction as its mail: a second daemon's insert waits for that commit and fails, so it sends
nothing.
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "once",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_once")),
    )
    # Service-level warnings are for tickets that arrive from now on: those already open were never promised a
    # deadline, and warning about each of them at once would be a flood.
    op.execute(sa.text("INSERT INTO once (key, created_at) VALUES ('sla:since', CURRENT_TIMESTAMP)"))


def downgrade():
    op.drop_table("once")
