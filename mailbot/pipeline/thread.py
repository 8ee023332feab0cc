"""thread: which ticket does this message belong to?

In order: the Message-IDs it answers (In-Reply-To/References, and for delivery reports the headers of the
returned message), the ticket reference in the subject, and for a reply-prefixed subject from a client's
contact that client's open ticket with the same base subject. A sender who is neither the ticket's contact,
a contact of its client, nor an agent cannot join a stranger's ticket: that mail opens a new one.
"""
import re

from sqlalchemy import bindparam, select

from mailbot.pipeline.context import Discard
from mailbot.store.models import outbox, thread_ids, tickets
from mailbot.store.queries import Rows

REF = re.compile(r"\[#(\d{1,12})\]")
# Reply and forward prefixes in the languages our clients write in: Re, Fwd, Aw/Wg (de), Atb./Pārs. (lv),
# Ats./Pers. (lt), Răsp./Fw (ro), Odp./Pre (sk/pl), Отв./Пересл. (ru), and counters like Re[2]: or Re(3):
PREFIX = re.compile(
    r"^\s*(?:(?:re|aw|sv|vs|fw|fwd|wg|tr|rv|enc|res|antw|antwort|odp|re?sp|răsp|rasp|răspuns|raspuns|"
    r"atb|ats|pārs|pars|pers|pre|přeposlat|отв|ответ|пересл|fwd?)\.?\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+",
    re.I)
_WS = re.compile(r"\s+")
_HEADER_MID = re.compile(rb"^message-id:\s*<([^<>\s]+)>", re.I | re.M)
# Built once (see mailbot.store.queries): the lookups every message makes while the write lock is held.
_BY_ID = Rows(select(tickets).where(tickets.c.id == bindparam("id")))
_OPEN_BY_SUBJECT = Rows(select(tickets).where(
    tickets.c.client_id == bindparam("client"), tickets.c.base_subject == bindparam("base"),
    tickets.c.status != "closed").order_by(tickets.c.id.desc()).limit(1))
_REFS: dict[int, Rows] = {}  # by the number of Message-IDs asked about: 1, 2, 4 ... REFS_AT_ONCE
REFS_AT_ONCE = 64
SOLVED = ("resolved", "closed")  # a client's reply reopens these only within tickets.reopen_days


def is_reply(subject: str) -> bool:
    return bool(PREFIX.match(subject))


def base_subject(subject: str) -> str:
    """Prefixes and ticket tags removed, whitespace collapsed, Unicode case-folded (Cyrillic too)."""
    s = REF.sub(" ", subject)
    s = PREFIX.sub("", s)
    return _WS.sub(" ", s).strip().casefold()


def ticket_ref(subject: str) -> int | None:
    m = REF.search(subject)
    return int(m.group(1)) if m else None


def _returned_ids(msg) -> list[str]:
    """Message-IDs of the original inside a delivery report."""
    out = []
    for a in msg.attachments:
        if a.content_type in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            out += [m.decode("ascii", "replace") for m in _HEADER_MID.findall(a.data[:65536])]
    return out


def may_join(ctx, ticket) -> bool:
    if ctx.agent is not None:
        return True
    if ctx.sender and ctx.sender == ticket["contact"]:
        return True
    return ctx.client is not None and ticket["client_id"] == ctx.client.id


def _by_id(conn, ticket_id):
    return _BY_ID.first(conn, {"id": ticket_id})


def _tickets_of(conn, message_ids: list[str]) -> list[int]:
    """The tickets that sent or received any of these Message-IDs, newest first."""
    found = set()
    for i in range(0, len(message_ids), REFS_AT_ONCE):
        chunk = message_ids[i:i + REFS_AT_ONCE]
        size = 1 << (len(chunk) - 1).bit_length()  # padded with its first: one statement per power of two
        query = _REFS.get(size)
        if query is None:
            query = _REFS[size] = Rows(select(thread_ids.c.ticket_id).where(
                thread_ids.c.message_id.in_([bindparam(f"m{k}") for k in range(size)])))
        chunk += chunk[:1] * (size - len(chunk))
        found.update(r["ticket_id"] for r in query.all(conn, {f"m{k}": m for k, m in enumerate(chunk)}))
    return sorted(found, reverse=True)


def run(ctx) -> None:
    msg, conn = ctx.msg, ctx.conn
    ctx.refs = list(dict.fromkeys(msg.in_reply_to + list(reversed(msg.references))))
    if ctx.kind == "bounce":
        ctx.refs += _returned_ids(msg)
        # A report about mail we sent belongs to that mail's ticket, whoever the reporting MTA is.
        if ctx.refs:
            row = conn.execute(select(outbox.c.id, outbox.c.ticket_id).where(
                outbox.c.message_id.in_(ctx.refs)).order_by(outbox.c.id.desc())).first()
            if row is not None and row.ticket_id is not None:
                ctx.ticket, ctx.disposition = _by_id(conn, row.ticket_id), "dsn"
                ctx.bounced_outbox = row.id
                return
        raise Discard("bounce", "delivery report not about mail we sent")
    if ctx.agent is not None and ctx.token is not None:  # the signed reply address names the ticket
        ticket = _by_id(conn, ctx.token.ticket_id)
        if ticket is not None:
            return _join(ctx, ticket)
    refused = None
    if ctx.refs:
        for tid in _tickets_of(conn, ctx.refs):
            ticket = _by_id(conn, tid)
            if may_join(ctx, ticket):
                return _join(ctx, ticket)
            refused = refused or tid
    ref = ticket_ref(msg.subject)
    if ref is not None:
        ticket = _by_id(conn, ref)
        if ticket is not None:
            if may_join(ctx, ticket):
                return _join(ctx, ticket)
            refused = refused or ref
    if ctx.client is not None and is_reply(msg.subject):
        row = _OPEN_BY_SUBJECT.first(conn, {"client": ctx.client.id, "base": base_subject(msg.subject)})
        if row is not None:
            return _join(ctx, row)
    if ctx.kind == "auto-reply":
        raise Discard("auto-reply", ctx.no_auto or "auto-reply")
    if refused is not None:
        ctx.events.append(("join-refused", f"sender may not join ticket #{refused}; opened a new ticket"))


def _join(ctx, ticket) -> None:
    if ctx.agent is None and ctx.kind == "message" and _too_late(ctx, ticket):
        # A client's reply long after the ticket was resolved is a new request that remembers the old one.
        ctx.follows = ticket["id"]
        ctx.events.append(("follows", f"reply to #{ticket['id']}, resolved more than "
                                      f"{ctx.config.tickets.reopen_days} days ago"))
        return
    ctx.ticket = ticket
    ctx.disposition = "auto-reply" if ctx.kind == "auto-reply" else "reply"


def _too_late(ctx, ticket) -> bool:
    if ticket["status"] not in SOLVED:
        return False
    since = ticket.get("resolved_at") or ticket["updated_at"]
    return (ctx.now - since).days >= ctx.config.tickets.reopen_days
