"""The head of service's decision on an objection, written as tags in the subject of their reply:

    Re: [O-7] Iebildums: rēķins par novembri [upheld #12 free] [rejected]

Grammar (case, whitespace and diacritics ignored, as in mailbot.agents.tags)::

    decision = "[" verdict ["#" TICKET] [CATEGORY] "]"     ticket and category in either order
    verdict  = upheld | rejected  (and their aliases in the six languages, `VERDICT_ALIASES`)

`[upheld]` alone upholds every item the objection disputes and makes it free (what a client disputing a paid
request asks for); `[upheld paid]` or a plan's own category names another. With `#12` it decides that ticket
alone; a decision without a ticket covers the items no other tag names, so `[upheld #12] [rejected]` upholds #12
and rejects the rest. A rejection takes no category. All-or-nothing: every problem is reported at once
(`TagError`), and brackets that are no command (the reference `[O-7]`, `[#12]`, a gateway's `[EXTERNAL]`, brackets
already in the subject replied to) are left alone. Pure functions, no I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from mailbot.agents.notices import Notice, notice
from mailbot.agents.tags import (
    BRACKET, DEFAULT_IGNORE, TagError, _Bad, _ignore_key, _index, _passive, category_in, fold, plan_names,
)

VERDICT_ALIASES: dict[str, tuple[str, ...]] = {
    "upheld": ("uphold", "atbalstīts", "apmierināts", "patenkinta", "admis", "admisă", "uznané", "uznaná",
               "удовлетворено", "удовлетворить"),
    "rejected": ("reject", "noraidīts", "atmesta", "atmesti", "respins", "respinsă", "zamietnuté", "zamietnutá",
                 "отклонено", "отклонить"),
}
VERDICTS = _index(VERDICT_ALIASES)
UPHELD, REJECTED = "upheld", "rejected"
REF = re.compile(r"^\s*o-(\d{1,12})\s*$", re.I)  # an objection's reference, [O-7]
_TICKET = re.compile(r"#(\d{1,12})")


@dataclass(frozen=True)
class Decision:
    verdict: str  # upheld | rejected
    category: str | None = None  # upheld: the new category
    ticket: int | None = None  # None: every item no other decision names


@dataclass(frozen=True)
class Decisions:
    items: tuple[Decision, ...] = ()
    tags: tuple[str, ...] = field(default=(), compare=False)

    def for_ticket(self, ticket: int) -> Decision | None:
        """What is decided for `ticket`: its own decision, else the general one, else None."""
        named = [d for d in self.items if d.ticket == ticket]
        general = [d for d in self.items if d.ticket is None]
        return (named or general or [None])[0]


def objection_ref(subject: str) -> int | None:
    """The objection an `[O-7]` in the subject names."""
    for m in BRACKET.finditer(subject or ""):
        ref = REF.match(m[1])
        if ref:
            return int(ref[1])
    return None


def _decision(content: str, raw: str, plan: dict[str, str]) -> Decision | None:
    first, *rest = fold(content).split(" ")
    verdict = VERDICTS.get(first)
    if verdict is None:
        return None
    ticket, category = None, None
    words = " ".join(rest).replace("# ", "#").split()
    for word in words:
        m = _TICKET.fullmatch(word)
        if m and ticket is None:
            ticket = int(m[1])
        elif not m and category is None:
            category = category_in(word, plan, raw)
        else:
            raise _Bad(notice("decision-unparsable", raw=raw))
    if verdict == REJECTED and category is not None:
        raise _Bad(notice("decision-unparsable", raw=raw))
    if verdict == UPHELD and category is None:
        category = category_in("free", plan, raw)
    return Decision(verdict, category, ticket)


def parse_decisions(subject: str, *, categories: Iterable[str] = ("free", "paid"),
                    ignore: Iterable[str] = DEFAULT_IGNORE, original: str = "") -> Decisions:
    """The decisions in `subject`; raises TagError listing every problem (no decision at all is one)."""
    plan = plan_names(categories)
    ignored = {_ignore_key(word) for word in ignore}
    inherited = {fold(m[1]) for m in BRACKET.finditer(original)}
    found: list[Decision] = []
    errors: list[Notice] = []
    tags: list[str] = []
    for m in BRACKET.finditer(subject or ""):
        content, raw = m[1], m[0]
        if _passive(content, ignored) or REF.match(content) or fold(content) in inherited:
            continue
        try:
            decision = _decision(content, raw, plan)
        except _Bad as e:
            errors.append(e.notice)
            continue
        if decision is None:
            errors.append(notice("unknown-tag", raw=raw))
            continue
        twin = next((d for d, _ in zip(found, tags) if d.ticket == decision.ticket), None)
        if twin is not None and twin != decision:
            errors.append(notice("two-values", field="decision", first=tags[found.index(twin)], second=raw))
            continue
        if twin is None:
            found.append(decision)
            tags.append(raw)
    if not found and not errors:
        errors.append(notice("decision-none"))
    if errors:
        raise TagError(errors)
    return Decisions(tuple(found), tuple(tags))


__all__ = ["Decision", "Decisions", "REJECTED", "UPHELD", "VERDICT_ALIASES", "objection_ref", "parse_decisions"]
