"""outbox: when a mail was given up on; clients_seen: when mailbot first served each client; idempotency keys
without the recipient

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 11:00:00

`mailbot health` fails while a mail has failed for good in the last day (health.failed_hours), and `mailbot
outbox retry` puts it back in the queue: both need the time it was given up, which the row did not keep.
A client's scheduled statements start with the first period mailbot served it (no bill for a month before
mailbot was in use): clients_seen keeps when the daemon first had the client in its configuration.
One message is one request whichever of our addresses it reached: the idempotency key is the Message-ID (or the
bytes) alone, no longer with the recipient, and the keys already stored are recomputed so that a redelivery of a
message stored before this upgrade is still recognised. Where one message was stored once per address, the
first row keeps the key. A message without a Message-ID whose bytes were not kept (the personal-data guard's
stub) cannot be rekeyed: its key is cleared.
"""
import hashlib
from email.parser import BytesHeaderParser

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox", recreate="never") as batch:
        batch.add_column(sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "clients_seen",
        sa.Column("client_id", sa.String(100), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_clients_seen")),
    )
    _rekey(op.get_bind())


def _key(message_id, raw) -> str | None:
    if message_id:
        basis = f"mid:{message_id}".encode("utf-8", "surrogateescape")
    elif raw is not None:
        basis = b"raw:" + hashlib.sha256(raw).digest()
    else:
        return None
    return hashlib.sha256(basis).hexdigest()


def _rekey(conn) -> None:
    rows = conn.execute(sa.text(
        "SELECT m.id, m.message_id, r.raw FROM messages m LEFT JOIN raw_messages r ON r.message_id = m.id "
        "WHERE m.idem_key IS NOT NULL ORDER BY m.id")).all()
    taken = set()
    for row_id, message_id, raw in rows:
        key = _key(message_id, raw if message_id is None else None)
        if key in taken:
            key = None
        taken.add(key)
        # An old key hashes the recipient in and a new one does not: the two never collide.
        conn.execute(sa.text("UPDATE messages SET idem_key = :k WHERE id = :i"), {"k": key, "i": row_id})
    for row_id, raw in conn.execute(sa.text("SELECT id, raw FROM parked WHERE status != 'done'")).all():
        mid = BytesHeaderParser().parsebytes(bytes(raw)).get("Message-ID", "").strip().strip("<>").strip()
        conn.execute(sa.text("UPDATE parked SET idem_key = :k WHERE id = :i"), {"k": _key(mid or None, bytes(raw)),
                                                                                "i": row_id})


def downgrade():
    op.drop_table("clients_seen")
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35+): rebuilding outbox would break outbox_raw's foreign key.
    with op.batch_alter_table("outbox", recreate="never") as batch:
        batch.drop_column("failed_at")
