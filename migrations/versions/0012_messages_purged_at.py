"""messages: when retention purged a message's text, raw copy and files

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 09:00:00

Data protection in the countries served expects old mail not to be kept for ever: `retention.months` deletes the
text, the raw copy, the files and the bytes sent of messages past it, and keeps the row (sender, date, subject,
size, Message-ID) for threading and history. The row says when, so that `mailbot tickets show` can tell a purged
message from an empty one and the purge never looks at it again.
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # ALTER TABLE ... ADD COLUMN in place: rebuilding messages would break the foreign keys that point at it.
    with op.batch_alter_table("messages", recreate="never") as batch:
        batch.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("messages", recreate="never") as batch:
        batch.drop_column("purged_at")
