"""Mail rendered before the transaction, used in it only where it is exactly what rendering there would give.

A new ticket's receipt and the agents' notification are much of the work done while SQLite's one write lock is
held, yet all they take from the database is the ticket's number and its place in the queue. The draft stage
renders them ahead with stand-ins for those two; persist uses a draft only when every input of render() is
equal to the draft's, the stand-ins aside, and renders as before otherwise. So a draft makes mail sooner,
never different: a guess that turns out wrong (the message was a reply, the guard redacted it) costs only
the rendering it did outside the lock.
"""
from __future__ import annotations

from dataclasses import dataclass

from mailbot.outbound.render import render

TICKET_ID = "\ue000"  # private-use characters: nothing in a template, escaping or folding changes them
QUEUE_POSITION = "\ue001"
_STAND_INS = (TICKET_ID, QUEUE_POSITION)
SUBJECT_ROOM = 850  # render() cuts a subject at 900 characters: a longer one is rendered with its real number


@dataclass(frozen=True)
class Draft:
    kind: str
    lang: str
    ticket: dict
    values: dict
    rendered: tuple[str, str, str]  # subject, text, html, with the stand-ins in them


def _stand_in(ticket: dict, values: dict) -> tuple[dict, dict]:
    if "queue_position" in values:
        values = values | {"queue_position": QUEUE_POSITION}
    return ticket | {"id": TICKET_ID}, values


def _carries_stand_in(values: dict) -> bool:
    """A sender's own text holding one of the private-use characters would be replaced with it."""
    return any(isinstance(v, str) and any(c in v for c in _STAND_INS)
               for k, v in values.items() if k not in ("id", "queue_position"))


def draft(kind: str, lang: str, ticket: dict, values: dict) -> Draft | None:
    """Render for a ticket whose number is not known yet; None where a draft could not be trusted."""
    if _carries_stand_in(ticket) or _carries_stand_in(values):
        return None
    t, v = _stand_in(ticket, values)
    rendered = render(kind, lang, ticket=t, **v)
    if len(rendered[0]) > SUBJECT_ROOM:
        return None
    return Draft(kind, lang, t, v, rendered)


def render_with(drafts, kind: str, lang: str, ticket: dict | None, values: dict) -> tuple[str, str, str]:
    """render(), or a draft made for exactly these inputs with the real number and place filled in."""
    if drafts and ticket is not None:
        t, v = _stand_in(ticket, values)
        for d in drafts:
            if d.kind == kind and d.lang == lang and d.ticket == t and d.values == v:
                number, place = str(ticket["id"]), str(values.get("queue_position"))
                return tuple(part.replace(TICKET_ID, number).replace(QUEUE_POSITION, place)
                             for part in d.rendered)
    return render(kind, lang, ticket=ticket, **values)
