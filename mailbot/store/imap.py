"""IMAP bookkeeping: which server messages are taken (and what is still to be done with them on the server),
and who reads each mailbox (a lease another daemon takes over when it runs out) and how that is going."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, select, update

from mailbot.store.compiled import insert_ignore
from mailbot.store.models import imap_seen, imap_status, utcnow
from mailbot.store.owners import alive


def record(conn, *, mailbox: str, folder: str, uidvalidity: int, uid: int, action: str, now) -> str:
    """Note a server message with the message's effects, and what to do with it on the server; an earlier
    decision stands (a crash before it was carried out makes the next pass do only that)."""
    key = dict(mailbox=mailbox, folder=folder, uidvalidity=uidvalidity, uid=uid)
    insert_ignore(conn, imap_seen, **key, action=action, done=False, created_at=now)
    return conn.execute(select(imap_seen.c.action).filter_by(**key)).scalar()


def seen(engine, mailbox: str, folder: str, uidvalidity: int, uids: list[int]) -> dict[int, tuple[str, bool]]:
    """uid -> (action, done) for the server messages among `uids` already taken."""
    out = {}
    with engine.connect() as conn:
        for i in range(0, len(uids), 500):
            q = select(imap_seen.c.uid, imap_seen.c.action, imap_seen.c.done).where(
                imap_seen.c.mailbox == mailbox, imap_seen.c.folder == folder,
                imap_seen.c.uidvalidity == uidvalidity, imap_seen.c.uid.in_(uids[i:i + 500]))
            out.update({r.uid: (r.action, r.done) for r in conn.execute(q)})
    return out


def mark_done(engine, mailbox: str, folder: str, uidvalidity: int, uids: list[int]) -> None:
    """The server-side actions for these messages were carried out."""
    with engine.begin() as conn:
        conn.execute(update(imap_seen).where(
            imap_seen.c.mailbox == mailbox, imap_seen.c.folder == folder,
            imap_seen.c.uidvalidity == uidvalidity, imap_seen.c.uid.in_(uids)).values(done=True))


def lease(engine, mailbox: str, owner: str, seconds: float) -> bool:
    """Take or renew the right to read `mailbox`: free, ours, its holder's lease ran out, or its holder is dead
    (mailbot.store.owners: on PostgreSQL its session ended)."""
    now = utcnow()
    with engine.begin() as conn:
        insert_ignore(conn, imap_status, mailbox=mailbox, owner=None, lease_until=None, state="starting",
                      detail="", since=now, updated_at=now)
        taken = conn.execute(update(imap_status).where(
            imap_status.c.mailbox == mailbox,
            (imap_status.c.owner == owner) | imap_status.c.owner.is_(None)
            | (imap_status.c.lease_until < now)).values(
            owner=owner, lease_until=now + timedelta(seconds=seconds), updated_at=now)).rowcount
        if not taken and conn.dialect.name == "postgresql":
            holder = conn.execute(select(imap_status.c.owner).where(imap_status.c.mailbox == mailbox)).scalar()
            if holder and not alive(conn, holder):  # its daemon is gone: no need to wait for its lease
                taken = conn.execute(update(imap_status).where(
                    imap_status.c.mailbox == mailbox, imap_status.c.owner == holder).values(
                    owner=owner, lease_until=now + timedelta(seconds=seconds), updated_at=now)).rowcount
    return taken == 1


def set_state(engine, mailbox: str, state: str, detail: str) -> None:
    """How reading the mailbox is going (ok | failing | ...); `since` moves only when the state changes."""
    now = utcnow()
    with engine.begin() as conn:
        row = conn.execute(select(imap_status.c.state).where(imap_status.c.mailbox == mailbox)).first()
        values = dict(state=state, detail=detail, updated_at=now)
        if row is None or row.state != state:
            values["since"] = now
        conn.execute(update(imap_status).where(imap_status.c.mailbox == mailbox).values(**values))


def release(engine, mailbox: str, owner: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(imap_status).where(and_(
            imap_status.c.mailbox == mailbox, imap_status.c.owner == owner)).values(
            owner=None, lease_until=None, state="stopped", detail="daemon stopped", updated_at=utcnow()))


def states(conn) -> dict:
    """mailbox address -> its status row (state, detail, since, updated_at)."""
    return {r.mailbox: r for r in conn.execute(select(imap_status))}
