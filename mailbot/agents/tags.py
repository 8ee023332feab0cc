"""The tag grammar: commands an agent puts in the subject of a reply, e.g.

    Re: [#123] Rēķins neatveras [25m] [paid] [resolved]

Pure functions, no I/O. `parse_tags(subject)` returns a `Commands` value or raises `TagError` listing every
problem at once (all-or-nothing: the caller applies nothing when anything is wrong). `format_tags(cmds)` writes
the canonical tag string back, and `parse_tags(format_tags(c)) == c` for every valid `c`.

Grammar
-------
A tag is the text between one ``[`` and the next ``]`` (no nesting), anywhere in the subject, in any order,
several at once. Matching is case-insensitive, ignores whitespace runs (``[ time  40m ]``) and, for the fixed
words and their aliases, diacritics (``[slegts]`` = ``[slēgts]``)::

    tag      = time | category | status | "[take]" | "[assign " NAME "]" | "[impact " LEVEL "]"
             | "[urgency " LEVEL "]" | "[prio " P "]" | "[priority " P "]" | "[note]" | "[client " NAME "]"
             | "[notify]" | "[pd-allow " DATE "]" | "[report]" | "[report " YYYY-MM "]"
    time     = "[" ["time"] duration [DATE] "]"      the date may also come first: [2026-11-20 25m]
    duration = [NUMBER HOURS] [NUMBER MINUTES]       at least one; spaces optional: 1h30m, 1 h 30 min, 1,5h
    NUMBER   = digits, with an optional decimal part after "." or ","
    DATE     = YYYY-MM-DD | D.M.YYYY (DD.MM.YYYY)    written back as YYYY-MM-DD
    LEVEL    = high | medium | low
    P        = P1 | P2 | P3 | P4 | 1 | 2 | 3 | 4      written back as P1..P4
    NAME     = letters, digits and . _ + -  (an agent's name or address local part, a client id; lower-cased)

Categories are the names in ``categories`` (the client's plan, returned in its spelling) plus the free/paid
aliases, which map to whatever name the plan gives that concept (``[paid]`` is "maksas" in a plan that says
``("bezmaksas", "maksas")``). Statuses, flags, hour/minute units and keywords are in the alias tables below
(`ALIASES`), English first.

Rules: a time is a positive whole number of minutes, at most 24 h, one time tag per subject, its date real and not
after ``today`` (pass the agent's local date; default: the clock's); a category must be in the plan; conflicting
values (two categories, two statuses, two assignees, [take] with [assign x], [note] with [waiting], [resolved] or
[notify], which write to the client, ...) are errors, the same value twice is not. [impact]/[urgency] and [prio]
may come together: what wins is the caller's business, as is every check that needs the ticket (transitions,
[client] only without a ticket reference). The fixed words win over a plan's category of the same name, and a
category name starting with a digit reads as a time.

Brackets that are not commands
------------------------------
Subjects carry brackets nobody meant as commands, and an error there would block the agent for nothing, so these
are left alone (never a tag, never an error, kept in ``clean_subject``):

* the ticket reference ``[#123]`` and anything else starting with ``#``;
* brackets with no letter at all: list counters ``[2]``, ``[1/3]``, a bare ``[90]`` (a time needs a unit), ``[]``;
* words mail gateways and lists add (``ignore``; default `DEFAULT_IGNORE`: ``[EXTERNAL]``, ``[SPAM]``, ``[Ārējs]``...),
  compared on the whole bracket, case, diacritics and surrounding punctuation ignored (``[**SPAM**]``);
  a deployment adds its own list prefixes with ``ignore=DEFAULT_IGNORE + ("moneo-users",)``;
* brackets that were already in ``original``, the subject the agent is replying to (our notification, i.e. the
  client's subject): ``[URGENT]`` or even ``[paid]`` written by a client is the client's text, not the agent's
  command. Counted per occurrence: the agent can still add a second ``[paid]`` of their own.

Every other bracket is a command or an error ("unknown tag [resovled]"): a typo must never be silently dropped.
An unclosed ``[`` is plain text.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Iterable

from mailbot.agents.notices import Notice, notice

# Alias tables: one per concept, canonical English word -> its other spellings (lv, lt, ro, sk, ru).
# Lookups fold case and diacritics, so "platene" and "PLATENÉ" need no entry of their own.
CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "free": ("bezmaksas", "nemokama", "gratuit", "zadarmo", "бесплатно"),
    "paid": ("maksas", "mokama", "plătit", "platené", "платно"),
}
STATUS_ALIASES: dict[str, tuple[str, ...]] = {
    "waiting": ("gaida", "laukiama", "așteptare", "în așteptare", "čaká", "ожидание"),
    "resolved": ("atrisināts", "išspręsta", "rezolvat", "vyriešené", "решено"),
    "closed": ("slēgts", "uždaryta", "închis", "uzavreté", "закрыто"),
    "reopen": ("atvērt", "atidaryti", "redeschis", "znovu", "открыть"),
}
CLIENT_STATUSES = ("waiting", "resolved")  # these send the client the agent's questions or the solution
FLAG_ALIASES: dict[str, tuple[str, ...]] = {  # tags without an argument that set a flag
    "take": ("ņemu", "imu", "preiau", "beriem", "беру"),
    "note": ("piezīme", "pastaba", "notă", "poznámka", "заметка"),
    "notify": (),
}
KEYWORD_ALIASES: dict[str, tuple[str, ...]] = {  # the first word of a tag with arguments
    "time": (), "assign": (), "impact": (), "urgency": (), "priority": ("prio",), "client": (),
    "pd-allow": (), "report": (),
}
UNIT_ALIASES: dict[str, tuple[str, ...]] = {
    "h": ("st", "stunda", "stundas", "stundu", "val", "valanda", "valandos", "valandų", "ore", "ora", "hod",
          "hodina", "hodiny", "hodín", "ч", "час", "часа", "часов"),
    "m": ("min", "мин"),
}
ALIASES = {"category": CATEGORY_ALIASES, "status": STATUS_ALIASES, "flag": FLAG_ALIASES,
           "keyword": KEYWORD_ALIASES, "unit": UNIT_ALIASES}

DEFAULT_IGNORE: tuple[str, ...] = (
    "external", "ext", "external email", "external sender", "spam", "suspected spam", "possible spam", "bulk",
    "warning", "caution", "ārējs", "išorinis", "extern", "externý", "внешний")
LEVELS = ("high", "medium", "low")
MAX_MINUTES = 24 * 60

BRACKET = re.compile(r"\[([^\[\]]*)\]")
NAME = re.compile(r"\w[\w.+-]*")
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
DOT_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
NUMBER_UNIT = r"([0-9]{1,5}(?:[.,][0-9]{1,5})?)\s*([^\W\d_]+)"
DURATION = re.compile(rf"(?:\s*{NUMBER_UNIT})+\s*")
PRIORITY = re.compile(r"p?([1-4])")


def fold(text: str) -> str:
    """The lookup key: case and diacritics dropped, whitespace runs made one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(word): canonical for canonical, words in table.items() for word in (canonical, *words)}


CATEGORIES, STATUSES, FLAGS = _index(CATEGORY_ALIASES), _index(STATUS_ALIASES), _index(FLAG_ALIASES)
KEYWORDS, UNITS = _index(KEYWORD_ALIASES), _index(UNIT_ALIASES)


class TagError(ValueError):
    """Something in the subject is wrong; `errors` says what, one Notice per problem (mailbot.agents.notices)."""

    def __init__(self, errors: list[Notice]):
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


@dataclass(frozen=True)
class Commands:
    """What a subject asks for. `tags` and `clean_subject` describe the text and take no part in equality."""
    minutes: int | None = None
    work_date: date | None = None
    category: str | None = None
    status: str | None = None  # waiting | resolved | closed | reopen
    assign: str | None = None
    take: bool = False
    impact: str | None = None  # high | medium | low
    urgency: str | None = None
    priority: str | None = None  # P1..P4
    note: bool = False
    client: str | None = None
    notify: bool = False
    pd_allow: date | None = None
    report: str | None = None  # "" for this month / the default period, or "YYYY-MM"
    tags: tuple[str, ...] = field(default=(), compare=False)
    clean_subject: str = field(default="", compare=False)

    @property
    def empty(self) -> bool:
        return self == Commands()


class _Bad(Exception):
    def __init__(self, found: Notice):
        super().__init__(str(found))
        self.notice = found


def _date(word: str, raw: str) -> date | None:
    iso, dot = ISO_DATE.fullmatch(word), DOT_DATE.fullmatch(word)
    if not (iso or dot):
        return None
    y, m, d = iso.groups() if iso else reversed(dot.groups())
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        raise _Bad(notice("impossible-date", raw=raw)) from None


def _time(words: list[str], raw: str, today: date) -> tuple[int, date | None]:
    dated = [(i, d) for i, w in enumerate(words) if (d := _date(w, raw))]
    if len(dated) > 1 or (dated and dated[0][0] not in (0, len(words) - 1)):
        raise _Bad(notice("time-unparsable", raw=raw))
    work_date = dated[0][1] if dated else None
    text = " ".join(w for i, w in enumerate(words) if not dated or i != dated[0][0])
    if not DURATION.fullmatch(text):
        raise _Bad(notice("time-unparsable", raw=raw))
    parts = [(UNITS.get(unit), Fraction(number.replace(",", "."))) for number, unit in re.findall(NUMBER_UNIT, text)]
    if [unit for unit, _ in parts] not in (["h"], ["m"], ["h", "m"]):
        raise _Bad(notice("time-unparsable", raw=raw))
    minutes = sum(n * 60 if unit == "h" else n for unit, n in parts)
    if minutes.denominator != 1:
        raise _Bad(notice("time-not-whole", raw=raw))
    if minutes <= 0:
        raise _Bad(notice("time-zero", raw=raw))
    if minutes > MAX_MINUTES:
        raise _Bad(notice("time-over-24h", raw=raw))
    if work_date and work_date > today:
        raise _Bad(notice("date-in-future", raw=raw))
    return int(minutes), work_date


def _one(args: list[str], raw: str, keyword: str, expected: str) -> str:
    if len(args) != 1:
        raise _Bad(notice("needs-one", keyword=keyword, expected=expected, raw=raw))
    return args[0]


def _keyword(keyword: str, args: list[str], written: list[str], raw: str, today: date) -> tuple[str, object]:
    if keyword == "time":
        return "time", _time(args, raw, today)
    if keyword in ("assign", "client"):
        name = unicodedata.normalize("NFC", _one(written, raw, keyword, "name")).lower()
        if "@" in name:
            raise _Bad(notice("name-not-address", keyword=keyword, raw=raw))
        if not NAME.fullmatch(name):
            raise _Bad(notice("not-a-name", raw=raw))
        return keyword, name
    if keyword in ("impact", "urgency"):
        level = _one(args, raw, keyword, "level")
        if level not in LEVELS:
            raise _Bad(notice("bad-level", keyword=keyword, raw=raw))
        return keyword, level
    if keyword == "priority":
        m = PRIORITY.fullmatch(_one(args, raw, keyword, "priority"))
        if not m:
            raise _Bad(notice("bad-priority", raw=raw))
        return "priority", f"P{m[1]}"
    if keyword == "pd-allow":
        day = _date(_one(args, raw, keyword, "date"), raw)
        if day is None:
            raise _Bad(notice("pd-allow-needs-date", raw=raw))
        return "pd_allow", day
    # report
    if not args:
        return "report", ""
    m = MONTH.fullmatch(_one(args, raw, keyword, "month"))
    if not m or not 1 <= int(m[2]) <= 12:
        raise _Bad(notice("report-needs-month", raw=raw))
    return "report", m[0]


def _command(content: str, raw: str, plan: dict[str, str], today: date) -> tuple[str, object]:
    """(field, value) for one bracket's content, or _Bad."""
    key = fold(content)
    if key in STATUSES:
        return "status", STATUSES[key]
    if key in FLAGS:
        return FLAGS[key], True
    first, *args = key.split(" ")
    if first in KEYWORDS:
        return _keyword(KEYWORDS[first], args, content.split()[1:], raw, today)
    if key in plan or key in CATEGORIES:
        return "category", category_in(key, plan, raw)
    if key[:1] in "0123456789":
        return "time", _time(key.split(" "), raw, today)
    raise _Bad(notice("unknown-tag", raw=raw))


def plan_names(categories: Iterable[str]) -> dict[str, str]:
    """A plan's categories by their lookup key (see fold), in the plan's spelling."""
    plan: dict[str, str] = {}
    for name in categories:
        plan.setdefault(fold(name), name)
    return plan


def category_in(key: str, plan: dict[str, str], raw: str) -> str:
    """The plan's category a folded word names: its own name, or free/paid in any language as the plan calls it."""
    if key in plan:
        return plan[key]
    named = [name for name in plan.values() if CATEGORIES.get(fold(name)) == CATEGORIES.get(key, "")]
    if key not in CATEGORIES or not named:
        raise _Bad(notice("category-not-in-plan", raw=raw))
    return named[0]


def _ignore_key(text: str) -> str:
    return re.sub(r"^[\W_]+|[\W_]+$", "", fold(text))


def _passive(content: str, ignore: set[str]) -> bool:
    """A bracket that is nobody's command: a reference, a counter, a gateway's or list's mark."""
    text = content.strip()
    return text.startswith("#") or not any(c.isalpha() for c in text) or _ignore_key(text) in ignore


def parse_tags(subject: str, *, categories: Iterable[str] = ("free", "paid"), today: date | None = None,
               ignore: Iterable[str] = DEFAULT_IGNORE, original: str = "") -> Commands:
    """The commands in `subject`; raises TagError listing every problem. See the module docstring."""
    today = today or date.today()
    plan = plan_names(categories)
    ignored = {_ignore_key(word) for word in ignore}
    inherited = Counter(fold(m[1]) for m in BRACKET.finditer(original))
    found: dict[str, tuple[object, str]] = {}
    errors: list[Notice] = []
    tags: list[str] = []
    kept: list[str] = []
    pos = 0
    for m in BRACKET.finditer(subject):
        content, raw = m[1], m[0]
        if _passive(content, ignored):
            continue
        if inherited[fold(content)]:
            inherited[fold(content)] -= 1
            continue
        try:
            name, value = _command(content, raw, plan, today)
        except _Bad as e:
            errors.append(e.notice)
            continue
        if name in found and (name == "time" or found[name][0] != value):
            errors.append(notice("two-values", field=name, first=found[name][1], second=raw))
        found.setdefault(name, (value, raw))
        tags.append(raw)
        kept.append(subject[pos:m.start()])
        pos = m.end()
    if "take" in found and "assign" in found:
        errors.append(notice("take-and-assign", first=found["take"][1], second=found["assign"][1]))
    if "note" in found and "notify" in found:
        errors.append(notice("note-and-notify", first=found["note"][1], second=found["notify"][1]))
    if "note" in found and found.get("status", (None,))[0] in CLIENT_STATUSES:
        errors.append(notice("note-and-client-status", first=found["note"][1], second=found["status"][1]))
    if errors:
        raise TagError(errors)
    values = {name: value for name, (value, _) in found.items()}
    minutes, work_date = values.pop("time", (None, None))
    kept.append(subject[pos:])
    return Commands(minutes=minutes, work_date=work_date, **values, tags=tuple(tags),
                    clean_subject=" ".join("".join(kept).split()))


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return (f"{hours}h" if hours else "") + (f"{rest}m" if rest or not hours else "")


def format_tags(cmds: Commands) -> str:
    """The canonical tag string for `cmds`: English words, fixed order, one tag per set field."""
    if cmds.work_date is not None and cmds.minutes is None:
        raise ValueError("a work date needs minutes")
    out = []
    if cmds.minutes is not None:
        out.append(_duration(cmds.minutes) + (f" {cmds.work_date.isoformat()}" if cmds.work_date else ""))
    for name in ("category", "status"):
        if getattr(cmds, name) is not None:
            out.append(getattr(cmds, name))
    out += ["take"] * cmds.take
    for name, word in (("assign", "assign"), ("impact", "impact"), ("urgency", "urgency"),
                       ("priority", "prio"), ("client", "client")):
        if getattr(cmds, name) is not None:
            out.append(f"{word} {getattr(cmds, name)}")
    out += ["note"] * cmds.note + ["notify"] * cmds.notify
    if cmds.pd_allow is not None:
        out.append(f"pd-allow {cmds.pd_allow.isoformat()}")
    if cmds.report is not None:
        out.append(f"report {cmds.report}".strip())
    return " ".join(f"[{tag}]" for tag in out)


__all__ = ["ALIASES", "DEFAULT_IGNORE", "Commands", "TagError", "fold", "format_tags", "parse_tags"]
