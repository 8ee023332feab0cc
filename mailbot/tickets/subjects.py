"""Subjects: the ticket reference ``[#12]`` we put in every subject, and the reply prefixes of our clients' languages.

A client's mail program answers "Re: [#12] Printing fails"; another writes "Atb.: Printing fails" without the
reference. Both must find ticket #12: the first by its reference, the second by its base subject (prefixes and
references removed, case folded), matched against the client's open tickets.
"""
from __future__ import annotations

import re

REF = re.compile(r"\[#(\d{1,12})\]")
# Reply and forward prefixes in the languages our clients write in: Re, Fwd, Aw/Wg (de), Atb./Pārs. (lv),
# Ats./Pers. (lt), Răsp./Fw (ro), Odp./Pre (sk/pl), Отв./Пересл. (ru), and counters like Re[2]: or Re(3):
PREFIX = re.compile(
    r"^\s*(?:(?:re|aw|sv|vs|fw|fwd|wg|tr|rv|enc|res|antw|antwort|odp|re?sp|răsp|rasp|răspuns|raspuns|"
    r"atb|ats|pārs|pars|pers|pre|přeposlat|отв|ответ|пересл|fwd?)\.?\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+",
    re.I)
_WS = re.compile(r"\s+")


def is_reply(subject: str) -> bool:
    return bool(PREFIX.match(subject))


# The part of a subject replies are matched on: long enough to tell requests apart, short enough for any index
# (PostgreSQL's btree rows stop at 2,704 bytes: a 3 KB subject must still be stored).
BASE_LENGTH = 200


def base_subject(subject: str) -> str:
    """Prefixes and ticket tags removed, whitespace collapsed, Unicode case-folded (Cyrillic too)."""
    s = REF.sub(" ", subject)
    s = PREFIX.sub("", s)
    return _WS.sub(" ", s).strip().casefold()[:BASE_LENGTH]


def plain_subject(subject: str) -> str:
    """A subject as people should read it in our mail: without ticket references and reply prefixes (we put one
    reference of our own in front), whitespace collapsed, case kept. "Re: [#1] Atb.: Rēķins" -> "Rēķins"."""
    s = PREFIX.sub("", REF.sub(" ", subject or ""))
    return _WS.sub(" ", PREFIX.sub("", s.strip())).strip()


def ticket_ref(subject: str) -> int | None:
    m = REF.search(subject)
    return int(m.group(1)) if m else None


def ref(ticket_id: int) -> str:
    """How a ticket is named to people and in subjects: #12."""
    return f"#{ticket_id}"
