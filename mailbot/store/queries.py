"""Small statements several modules share, built once: constructing a statement costs more than running it."""
from sqlalchemy import insert

from mailbot.store.models import events, messages, thread_ids

INSERT_EVENT, INSERT_MESSAGE = insert(events), insert(messages)
_IGNORING: dict = {}


def insert_ignore(conn, table, **values) -> None:
    """INSERT that quietly does nothing when the row's key already exists (both engines)."""
    key = (conn.dialect.name, table.name)
    stmt = _IGNORING.get(key)
    if stmt is None:
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        stmt = _IGNORING[key] = dialect_insert(table).on_conflict_do_nothing()
    conn.execute(stmt, values)


def remember_message_id(conn, message_id: str | None, ticket_id: int | None) -> None:
    if message_id and ticket_id is not None:
        insert_ignore(conn, thread_ids, message_id=message_id[:990], ticket_id=ticket_id)


def add_event(conn, ticket_id, kind: str, detail: str, at, actor: str | None = None, message_row=None) -> None:
    conn.execute(INSERT_EVENT, dict(ticket_id=ticket_id, kind=kind, detail=detail, at=at, actor=actor,
                                    message_row=message_row))
