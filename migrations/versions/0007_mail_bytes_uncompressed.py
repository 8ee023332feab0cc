"""mail bytes stored uncompressed on PostgreSQL

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 14:00:00

PostgreSQL compresses every large value (pglz) before it stores it out of line. Mail is mostly base64 and
quoted-printable already, and attachments are PDFs, zipped office files and images: on the benchmark's mail
pglz saved nothing (24 MB either way for 800 messages) and cost the server 0.7 ms of CPU per message copy,
and a message is written three times over (its raw bytes, its files, the agents' notification). EXTERNAL keeps
such values out of line without compressing them. Rows already stored keep their format; SQLite has no such
setting.
"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

COLUMNS = (("raw_messages", "raw"), ("attachments", "data"), ("outbox_raw", "raw"), ("parked", "raw"))


def _storage(kind: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE {kind}")


def upgrade():
    _storage("EXTERNAL")


def downgrade():
    _storage("EXTENDED")
