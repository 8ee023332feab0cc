"""How the vendors' terms turn minutes spent into minutes (or requests) billed, and those into money.

Every vendor rounds differently, and the rounding is the part clients dispute, so it lives here alone:
- STEKAS rounds each journal entry up to 12-minute steps (1-12 min -> 12, 13-24 -> 24): scope "entry".
- MONEO registers at least 15 minutes for any request and splits a request's time by category, the
  category being known only once it is solved (§5.3-5.5): scope "ticket", minimum 15, and the top-up
  goes to the ticket's final category. Platphorma bills indivisible 30-minute "tickets", at least one
  per request (unit 30, minimum 30); 1C "Надежный" counts hours in 0.5 h steps (unit 30).
- 1C "Старт"/"Крыжик" count requests, not time: one request = one task (scope "request").
- Plans include an allowance (Platphorma Expert: 10 tickets = 300 min a month), consumed in the order
  the work was done; what exceeds it is charged at the over-allowance rate.
- The category "free" (MONEO's free requests, STEKAS's vendor defects) is reported but never charged
  and never eats into the allowance.

Minutes are integers and money is Decimal computed through Fraction, so every amount is exact and is
rounded once, per line, to the cent (ROUND_HALF_UP). A statement's total is the sum of its lines.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Iterable, Literal, Mapping

Scope = Literal["entry", "ticket", "request"]
SCOPES = ("entry", "ticket", "request")
FREE = "free"
ZERO = Decimal("0.00")


def _count(value: object, what: str, least: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValueError(f"{what} must be an integer >= {least}, got {value!r}")


def _money(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{what} must be a Decimal (or int), got {type(value).__name__} {value!r}")
    value = Decimal(value)
    if not value.is_finite() or value < 0:
        raise ValueError(f"{what} must be a finite amount >= 0, got {value}")
    return value


@dataclass(frozen=True)
class Rule:
    scope: Scope = "entry"
    unit: int = 1      # minutes; billed time is a multiple of it (entry/ticket scope)
    minimum: int = 0   # minutes; entry scope: per entry; ticket scope: per ticket total in the period

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ValueError(f"rule scope must be one of {', '.join(SCOPES)}, got {self.scope!r}")
        _count(self.unit, "rule unit (minutes)", 1)
        _count(self.minimum, "rule minimum (minutes)", 0)


@dataclass(frozen=True)
class Terms:
    """One category of a plan. `rate` is per hour (entry/ticket scope) or per request (request scope)."""
    rule: Rule = Rule()
    rate: Decimal = Decimal(0)
    over_rate: Decimal | None = None   # beyond the allowance; None: `rate`
    consumes_allowance: bool = True    # forced False for the category "free"
    per: int = 60                      # minutes the rate is for: 60 (hourly), or the unit (Platphorma's tickets)

    def __post_init__(self) -> None:
        _count(self.per, "minutes per rate", 1)
        object.__setattr__(self, "rate", _money(self.rate, "rate"))
        if self.over_rate is not None:
            object.__setattr__(self, "over_rate", _money(self.over_rate, "over_rate"))


@dataclass(frozen=True)
class Allowance:
    minutes: int = 0    # included time per period
    requests: int = 0   # included requests per period (request scope)

    def __post_init__(self) -> None:
        _count(self.minutes, "allowance minutes", 0)
        _count(self.requests, "allowance requests", 0)


@dataclass(frozen=True)
class Entry:
    id: int
    ticket: int
    work_date: date
    minutes: int        # >= 1, as the agent entered it
    category: str


@dataclass(frozen=True)
class Line:
    entry: int | None   # the entry it bills; None for a per-ticket top-up line
    ticket: int
    work_date: date
    category: str
    entered: int        # minutes entered (0 for a top-up)
    billed: int         # minutes billed after rounding (request scope: = entered)
    requests: int       # request scope: 1 on the ticket's first line of that category, else 0
    included: int       # minutes (requests for request scope) covered by the allowance
    charged: int        # minutes (requests) charged: billed - included (requests - included)
    rate: Decimal       # the rate applied to `charged` (0 for "free")
    amount: Decimal     # to the cent, ROUND_HALF_UP
    per: int = 60       # minutes `rate` is for (request scope: the rate is per request)


@dataclass(frozen=True)
class CategoryTotal:
    entered: int = 0
    billed: int = 0
    requests: int = 0
    included: int = 0
    charged: int = 0
    amount: Decimal = ZERO


def round_up(minutes: int, unit: int) -> int:
    """The least multiple of `unit` that is >= `minutes`."""
    _count(minutes, "minutes", 0)
    _count(unit, "unit", 1)
    return -(-minutes // unit) * unit


def round_entry(minutes: int, rule: Rule) -> int:
    """Entry scope: at least the minimum, and a multiple of the unit."""
    return round_up(max(minutes, rule.minimum), rule.unit)


def top_up(total: int, rule: Rule) -> int:
    """Ticket scope: minutes to add to a ticket's `total` so it reaches the rule's minimum and the new
    total is a multiple of the rule's unit; 0 when the minimum is already met."""
    return 0 if total >= rule.minimum else round_up(rule.minimum, rule.unit) - total


def charge(quantity: int, rate: Decimal, per_hour: bool = True, per: int = 60) -> Decimal:
    """`quantity` minutes at `rate` per `per` minutes (an hour unless the plan prices a unit), or requests at `rate`
    each (per_hour False), exactly, to the cent, half up."""
    numerator, denominator = Decimal(rate).as_integer_ratio()
    minutes = per if per_hour else 1
    # In hundredths of the currency, plus a half, floored: integers only, so nothing is lost on the way.
    cents, remainder = divmod(numerator * quantity * 100 * 2 + denominator * minutes, denominator * minutes * 2)
    return Decimal(cents).scaleb(-2)


def _ticket_lines(ticket: int, items: list[Entry], terms: Mapping[str, Terms], final: str | None) -> list[Line]:
    """The lines of one ticket, chronological, before the allowance: rounding and the per-ticket top-up."""
    lines: list[Line] = []
    sums: dict[str, int] = defaultdict(int)
    last: dict[str, int] = {}          # ticket-scope category -> index of its last line
    asked: set[str] = set()            # request-scope categories already counted on this ticket
    for e in items:
        rule = terms[e.category].rule
        billed, requests = e.minutes, 0
        if rule.scope == "entry":
            billed = round_entry(e.minutes, rule)
        elif rule.scope == "ticket":
            sums[e.category] += e.minutes
            last[e.category] = len(lines)
        elif e.category not in asked:
            asked.add(e.category)
            requests = 1
        lines.append(Line(e.id, ticket, e.work_date, e.category, e.minutes, billed, requests, 0, 0, ZERO, ZERO))
    for category, i in last.items():
        extra = round_up(sums[category], terms[category].rule.unit) - sums[category]
        lines[i] = replace(lines[i], billed=lines[i].billed + extra)
    final = final if final is not None else items[-1].category
    if final not in terms:
        raise ValueError(f"final category {final!r} of ticket {ticket} has no terms in the plan")
    rule = terms[final].rule
    extra = top_up(sum(line.billed for line in lines), rule) if rule.scope == "ticket" else 0
    if extra:
        lines.append(Line(None, ticket, items[-1].work_date, final, 0, extra, 0, 0, 0, ZERO, ZERO))
    return lines


def bill(entries: Iterable[Entry], terms: Mapping[str, Terms], allowance: Allowance = Allowance(),
         final_category: Mapping[int, str] | None = None) -> list[Line]:
    """Bill one period's entries: lines by ticket (first work date), then chronological.

    A ticket's top-up (entry None) is dated on its last entry and only exists when the ticket's final
    category has ticket scope. Charged quantities are priced at `over_rate` when the category consumes
    the allowance and has one, else at `rate`; "free" lines are priced at 0.
    """
    entries = sorted(entries, key=lambda e: (e.work_date, e.id))
    seen: set[int] = set()
    for e in entries:
        if e.category not in terms:
            raise ValueError(f"entry {e.id} (ticket {e.ticket}): category {e.category!r} has no terms in the plan")
        _count(e.minutes, f"entry {e.id} minutes", 1)
        if e.id in seen:
            raise ValueError(f"entry id {e.id} occurs more than once")
        seen.add(e.id)
    tickets: dict[int, list[Entry]] = {}
    for e in entries:                  # dicts keep insertion order: tickets by their first work
        tickets.setdefault(e.ticket, []).append(e)
    lines: list[Line] = []
    when: list[tuple] = []             # chronological key of each line: a top-up follows its ticket's last entry
    for ticket, items in tickets.items():
        for line in _ticket_lines(ticket, items, terms, (final_category or {}).get(ticket)):
            when.append((line.work_date, items[-1].id, 1) if line.entry is None else (line.work_date, line.entry, 0))
            lines.append(line)
    left = {False: allowance.minutes, True: allowance.requests}
    for i in sorted(range(len(lines)), key=when.__getitem__):
        line = lines[i]
        t = terms[line.category]
        per_request = t.rule.scope == "request"
        quantity = line.requests if per_request else line.billed
        consumes = t.consumes_allowance and line.category != FREE
        included = min(quantity, left[per_request]) if consumes else 0
        left[per_request] -= included
        rate = ZERO if line.category == FREE else t.over_rate if consumes and t.over_rate is not None else t.rate
        charged = quantity - included
        amount = charge(charged, rate, per_hour=not per_request, per=t.per)
        # The line with its price, built directly: dataclasses.replace costs more than the pricing, line by line.
        lines[i] = Line(line.entry, line.ticket, line.work_date, line.category, line.entered, line.billed,
                        line.requests, included, charged, rate, amount, t.per)
    return lines


def totals(lines: Iterable[Line]) -> dict[str, CategoryTotal]:
    """Sums per category (by category name): entered, billed, requests, included, charged, amount."""
    out: dict[str, CategoryTotal] = {}
    for line in lines:
        t = out.get(line.category, CategoryTotal())
        out[line.category] = CategoryTotal(t.entered + line.entered, t.billed + line.billed,
                                           t.requests + line.requests, t.included + line.included,
                                           t.charged + line.charged, t.amount + line.amount)
    return dict(sorted(out.items()))


def total_amount(lines: Iterable[Line]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)
