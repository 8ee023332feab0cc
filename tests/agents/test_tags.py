"""The agents' subject-tag grammar: every tag, every language's aliases, every error rule, the brackets that are
not commands, and properties (round trip through format_tags, no crash on any input, order and surrounding text
do not matter)."""
from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailbot.agents.notices import CODES, Notice
from mailbot.outbound.render import say
from mailbot.agents.tags import (
    ALIASES, CATEGORY_ALIASES, DEFAULT_IGNORE, FLAG_ALIASES, KEYWORD_ALIASES, STATUS_ALIASES, Commands, TagError,
    fold, format_tags, parse_tags)

TODAY = date(2026, 11, 25)
PLAN = ("free", "paid", "Programming", "on-site work")


def parse(subject: str, **kw) -> Commands:
    kw.setdefault("today", TODAY)
    return parse_tags(subject, **kw)


def errors(subject: str, **kw) -> list[str]:
    """The problems as an English-speaking agent reads them (templates/en/_notices.j2)."""
    with pytest.raises(TagError) as info:
        parse(subject, **kw)
    return say(info.value.errors, "en")


# --- time ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tag, minutes", [
    ("[25m]", 25), ("[25 min]", 25), ("[1h30m]", 90), ("[1h 30m]", 90), ("[1.5h]", 90), ("[1,5h]", 90),
    ("[2h]", 120), ("[time 40m]", 40), ("[ time  40m ]", 40), ("[TIME 1H]", 60), ("[0.1h]", 6), ("[1.25h]", 75),
    ("[90m]", 90), ("[24h]", 1440), ("[1 h 20 min]", 80), ("[23h60m]", 1440), ("[0,5h 15m]", 45),
    # lv
    ("[2 st]", 120), ("[1 stundas 15 min]", 75), ("[1,5st]", 90), ("[1 stunda]", 60),
    # lt
    ("[1,5 val]", 90), ("[1val 5min]", 65), ("[2 valandos]", 120),
    # ro
    ("[2 ore]", 120), ("[1,5 ore]", 90), ("[1 ora 10 min]", 70),
    # sk
    ("[1 hod 10 min]", 70), ("[1,5hod]", 90), ("[2 hodiny]", 120),
    # ru
    ("[1ч 30мин]", 90), ("[1,5 ч]", 90), ("[45 МИН]", 45), ("[2 часа]", 120),
    # full-width digits (some Asian input methods; folded to ASCII)
    ("[２５m]", 25),
])
def test_time(tag, minutes):
    c = parse(f"Re: [#7] Rēķins {tag}")
    assert (c.minutes, c.work_date) == (minutes, None)
    assert c.tags == (tag,)
    assert c.clean_subject == "Re: [#7] Rēķins"


@pytest.mark.parametrize("tag", [
    "[25m 2026-11-20]", "[time 25m 2026-11-20]", "[25m 20.11.2026]", "[2026-11-20 25m]", "[25 min 20.11.2026]"])
def test_time_with_work_date(tag):
    c = parse(tag)
    assert (c.minutes, c.work_date) == (25, date(2026, 11, 20))


def test_work_date_today_is_allowed_and_default_today_is_the_clock():
    assert parse("[1h 2026-11-25]").work_date == TODAY
    assert parse_tags("[1h 2000-01-01]").work_date == date(2000, 1, 1)
    assert parse("[1h 1.2.2026]").work_date == date(2026, 2, 1)


@pytest.mark.parametrize("subject, message", [
    ("[1h99x]", "time does not parse: [1h99x]"),
    ("[30m1h]", "time does not parse: [30m1h]"),
    ("[1h 1h]", "time does not parse: [1h 1h]"),
    ("[1 30m]", "time does not parse: [1 30m]"),
    ("[time]", "time does not parse: [time]"),
    ("[time abc]", "time does not parse: [time abc]"),
    ("[25 minutes]", "time does not parse: [25 minutes]"),
    ("[1.5.h]", "time does not parse: [1.5.h]"),
    ("[25m 2026-11-20 2026-11-21]", "time does not parse: [25m 2026-11-20 2026-11-21]"),
    ("[25m 2026-11-20 5m]", "time does not parse: [25m 2026-11-20 5m]"),
    ("[0.01h]", "time is not a whole number of minutes: [0.01h]"),
    ("[1.5m]", "time is not a whole number of minutes: [1.5m]"),
    ("[0m]", "time must be more than zero: [0m]"),
    ("[0h 0m]", "time must be more than zero: [0h 0m]"),
    ("[25h]", "time over 24 hours in one tag: [25h]"),
    ("[24h 1m]", "time over 24 hours in one tag: [24h 1m]"),
    ("[99999h]", "time over 24 hours in one tag: [99999h]"),
    ("[25m 2026-11-26]", "work date in the future: [25m 2026-11-26]"),
    ("[25m 2026-02-30]", "impossible date: [25m 2026-02-30]"),
    ("[25m 32.01.2026]", "impossible date: [25m 32.01.2026]"),
    ("[25m 2026-13-01]", "impossible date: [25m 2026-13-01]"),
    ("[25m] [30m]", "two time tags: [25m] and [30m]"),
    ("[25m] [25m]", "two time tags: [25m] and [25m]"),
])
def test_time_errors(subject, message):
    assert errors(subject) == [message]


def test_a_bare_number_is_not_a_time():
    c = parse("Re: [#5] [90] [1,5]")
    assert c.empty and c.clean_subject == "Re: [#5] [90] [1,5]"


# --- categories ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("word, category", [
    ("free", "free"), ("FREE", "free"), ("paid", "paid"), ("Paid", "paid"),
    ("bezmaksas", "free"), ("maksas", "paid"),                      # lv
    ("nemokama", "free"), ("mokama", "paid"),                       # lt
    ("gratuit", "free"), ("plătit", "paid"), ("platit", "paid"),    # ro
    ("zadarmo", "free"), ("platené", "paid"), ("platene", "paid"),  # sk
    ("бесплатно", "free"), ("платно", "paid"), ("ПЛАТНО", "paid"),  # ru
])
def test_category_aliases(word, category):
    assert parse(f"[{word}]").category == category


def test_plan_categories_keep_the_plans_spelling():
    assert parse("[programming]", categories=PLAN).category == "Programming"
    assert parse("[ON-SITE  work]", categories=PLAN).category == "on-site work"
    assert parse("[paid]", categories=("Free", "Paid")).category == "Paid"
    lv = ("bezmaksas", "maksas")
    assert parse("[paid]", categories=lv).category == "maksas"
    assert parse("[platit]", categories=lv).category == "maksas"
    assert parse("[MAKSAS]", categories=lv).category == "maksas"


def test_category_errors():
    assert errors("[free] [paid]") == ["two categories: [free] and [paid]"]
    assert errors("[maksas] [nemokama]") == ["two categories: [maksas] and [nemokama]"]
    assert parse("[paid] [maksas] [PAID]").category == "paid"  # the same category twice is fine
    assert errors("[paid]", categories=("free", "included")) == ["category not in the plan: [paid]"]
    assert errors("[mokama]", categories=()) == ["category not in the plan: [mokama]"]
    assert errors("[programming]") == ["unknown tag [programming]"]


def test_fixed_words_win_over_a_plan_category_of_the_same_name():
    assert parse("[note]", categories=("note", "paid")) == Commands(note=True)


# --- status -------------------------------------------------------------------------------------------------

STATUS_WORDS = [
    ("waiting", "waiting"), ("resolved", "resolved"), ("closed", "closed"), ("reopen", "reopen"),
    ("gaida", "waiting"), ("atrisināts", "resolved"), ("slēgts", "closed"), ("atvērt", "reopen"),       # lv
    ("laukiama", "waiting"), ("išspręsta", "resolved"), ("uždaryta", "closed"), ("atidaryti", "reopen"),  # lt
    ("așteptare", "waiting"), ("rezolvat", "resolved"), ("închis", "closed"), ("redeschis", "reopen"),   # ro
    ("în așteptare", "waiting"), ("aşteptare", "waiting"),  # s-cedilla, as old Romanian keyboards type it
    ("čaká", "waiting"), ("vyriešené", "resolved"), ("uzavreté", "closed"), ("znovu", "reopen"),          # sk
    ("ожидание", "waiting"), ("решено", "resolved"), ("закрыто", "closed"), ("открыть", "reopen"),        # ru
]


@pytest.mark.parametrize("word, status", STATUS_WORDS)
def test_status_aliases(word, status):
    assert parse(f"[{word}]").status == status
    assert parse(f"[{word.upper()}]").status == status
    plain = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    assert parse(f"[{plain}]").status == status
    assert parse(f"[{unicodedata.normalize('NFD', word)}]").status == status


def test_status_errors():
    assert errors("[resolved] [waiting]") == ["two statuses: [resolved] and [waiting]"]
    assert errors("[slēgts] [znovu]") == ["two statuses: [slēgts] and [znovu]"]
    assert parse("[resolved] [atrisinats]").status == "resolved"
    assert errors("[resovled]") == ["unknown tag [resovled]"]


# --- assignment, priority, flags ----------------------------------------------------------------------------

@pytest.mark.parametrize("word", ["take", "TAKE", "ņemu", "nemu", "imu", "preiau", "beriem", "беру"])
def test_take(word):
    assert parse(f"[{word}]") == Commands(take=True)


@pytest.mark.parametrize("tag, name", [
    ("[assign ilze]", "ilze"), ("[ASSIGN Ilze]", "ilze"), ("[assign  jānis.bērziņš ]", "jānis.bērziņš"),
    ("[assign a_b-c+d]", "a_b-c+d"), ("[assign Оля]", "оля"), ("[assign ja\u0304nis]", "jānis")])
def test_assign(tag, name):
    assert parse(tag).assign == name


def test_assign_errors():
    assert errors("[assign]") == ["assign needs one name: [assign]"]
    assert errors("[assign ilze berzina]") == ["assign needs one name: [assign ilze berzina]"]
    assert errors("[assign ilze@moneo.lv]") == ["assign takes a name, not an address: [assign ilze@moneo.lv]"]
    assert errors("[assign -x]") == ["not a name: [assign -x]"]
    assert errors("[assign ilze] [assign juris]") == ["two assignees: [assign ilze] and [assign juris]"]
    assert parse("[assign ilze] [assign ILZE]").assign == "ilze"
    assert errors("[take] [assign ilze]") == ["[take] and [assign ilze] together"]


@pytest.mark.parametrize("status", ["[waiting]", "[resolved]", "[gaida]", "[решено]"])
def test_a_note_cannot_write_to_the_client(status):
    [why] = errors(f"[note] {status}")
    assert why.startswith(f"[note] and {status} together")
    assert parse("[note] [closed]") == Commands(note=True, status="closed")  # closed quietly
    assert parse("[note] [reopen]") == Commands(note=True, status="reopen")
    assert errors("[client acme] [note] [notify]") == [
        "[note] and [notify] together: a note is not sent to the client"]


@pytest.mark.parametrize("tag, field, value", [
    ("[impact high]", "impact", "high"), ("[Impact LOW]", "impact", "low"), ("[impact medium]", "impact", "medium"),
    ("[urgency high]", "urgency", "high"), ("[ urgency  low ]", "urgency", "low"),
    ("[prio P1]", "priority", "P1"), ("[priority p2]", "priority", "P2"), ("[PRIO 3]", "priority", "P3"),
    ("[prio p4]", "priority", "P4")])
def test_impact_urgency_priority(tag, field, value):
    assert getattr(parse(tag), field) == value


@pytest.mark.parametrize("subject, message", [
    ("[impact huge]", "impact must be high, medium or low: [impact huge]"),
    ("[impact]", "impact needs high, medium or low: [impact]"),
    ("[urgency very high]", "urgency needs high, medium or low: [urgency very high]"),
    ("[prio P5]", "priority must be P1 to P4: [prio P5]"),
    ("[prio 0]", "priority must be P1 to P4: [prio 0]"),
    ("[priority]", "priority needs P1 to P4: [priority]"),
    ("[impact high] [impact low]", "two impacts: [impact high] and [impact low]"),
    ("[prio P1] [priority P2]", "two priorities: [prio P1] and [priority P2]"),
])
def test_priority_errors(subject, message):
    assert errors(subject) == [message]


def test_impact_urgency_and_prio_may_come_together():
    c = parse("[impact high] [urgency low] [prio P2]")
    assert (c.impact, c.urgency, c.priority) == ("high", "low", "P2")


@pytest.mark.parametrize("word", ["note", "NOTE", "piezīme", "piezime", "pastaba", "notă", "nota", "poznámka",
                                  "poznamka", "заметка"])
def test_note(word):
    assert parse(f"Re: [#9] [{word}] called them") == Commands(note=True)


def test_client_notify_pd_allow_report():
    c = parse("Phone call [client ACME] [notify] [25m] [paid]")
    assert (c.client, c.notify, c.minutes, c.category) == ("acme", True, 25, "paid")
    assert c.clean_subject == "Phone call"
    assert parse("[client sia-moneo_2]").client == "sia-moneo_2"
    assert parse("[pd-allow 2026-12-31]").pd_allow == date(2026, 12, 31)
    assert parse("[PD-ALLOW 31.12.2026]").pd_allow == date(2026, 12, 31)
    assert parse("[report]").report == ""
    assert parse("[report 2026-10]").report == "2026-10"
    assert not parse("[report]").empty


@pytest.mark.parametrize("subject, message", [
    ("[client]", "client needs one name: [client]"),
    ("[client acme] [client globex]", "two clients: [client acme] and [client globex]"),
    ("[pd-allow]", "pd-allow needs a date YYYY-MM-DD: [pd-allow]"),
    ("[pd-allow soon]", "pd-allow needs a date YYYY-MM-DD: [pd-allow soon]"),
    ("[pd-allow 2026-02-30]", "impossible date: [pd-allow 2026-02-30]"),
    ("[report 2026-13]", "report needs a month YYYY-MM: [report 2026-13]"),
    ("[report october]", "report needs a month YYYY-MM: [report october]"),
    ("[report 2026-10 2026-11]", "report needs a month YYYY-MM: [report 2026-10 2026-11]"),
    ("[report] [report 2026-10]", "two reports: [report] and [report 2026-10]"),
])
def test_argument_errors(subject, message):
    assert errors(subject) == [message]


# --- unknown tags and brackets that are not commands --------------------------------------------------------

@pytest.mark.parametrize("tag", ["[frее]", "[resovled]", "[note please]", "[take it]", "[URGENT]",
                                 "[Fwd: invoice]", "[notify me]", "[waiting 2d]", "[h]", "[-]x[a]"])
def test_unknown_tags(tag):
    first = re.search(r"\[[^\]]*[^\W\d_][^\]]*\]", tag)[0]
    assert errors(f"Re: [#3] {tag}") == [f"unknown tag {first}"]


def test_all_errors_are_reported_at_once():
    assert errors("[frее] [1h99x] [resolved] [waiting] [paid] [free] [prio 9]") == [
        "unknown tag [frее]", "time does not parse: [1h99x]", "two statuses: [resolved] and [waiting]",
        "two categories: [paid] and [free]", "priority must be P1 to P4: [prio 9]"]
    with pytest.raises(ValueError, match=r"unknown-tag raw=\[x\]; unknown-tag raw=\[y\]"):
        parse("[x] [y]")  # the exception's own text is for logs: codes, not sentences


@pytest.mark.parametrize("subject", [
    "Re: [#123] Rēķins neatveras", "AW: [EXTERNAL] [#12] Invoice", "[ext] hi", "[Suspected Spam] [SPAM] x",
    "[**SPAM**] x", "[ĀRĒJS] [arejs] [Ārējs] x", "[Išorinis] x", "[Extern] x", "[EXTERNÝ] x", "[Внешний] x",
    "[WARNING] [caution] x", "[2] [1/3] [] [ ] [#] [#abc] [ #12 ] [:-)] [2026-11-20] x", "[25m unclosed",
    "[External Email] x", "] odd [ x"])
def test_brackets_that_are_not_commands_are_kept(subject):
    c = parse(subject)
    assert c.empty and c.tags == ()
    assert c.clean_subject == " ".join(subject.split())


def test_gateway_words_are_configurable():
    assert errors("[EXTERNAL] x", ignore=()) == ["unknown tag [EXTERNAL]"]
    c = parse("[moneo-users] [#4] x [25m]", ignore=DEFAULT_IGNORE + ("moneo-users",))
    assert c.minutes == 25 and c.clean_subject == "[moneo-users] [#4] x"


def test_brackets_from_the_original_subject_are_the_clients_text():
    original = "[#1] Pieprasījums saņemts: [URGENT] [paid] nevar izdrukāt"
    subject = "Re: [#1] Pieprasījums saņemts: [URGENT] [paid] nevar izdrukāt [25m] [free]"
    c = parse(subject, original=original)
    assert (c.minutes, c.category) == (25, "free")
    assert c.clean_subject == "Re: [#1] Pieprasījums saņemts: [URGENT] [paid] nevar izdrukāt"
    assert errors(subject) == ["unknown tag [URGENT]", "two categories: [paid] and [free]"]
    # counted per occurrence: a second [paid] is the agent's own
    assert parse("Re: [urgent] [paid] x [PAID]", original="[URGENT] [paid] x").category == "paid"


def test_a_real_reply():
    c = parse("Re: [#123] Rēķins neatveras [25m] [paid] [resolved]")
    assert (c.minutes, c.category, c.status) == (25, "paid", "resolved")
    assert c.tags == ("[25m]", "[paid]", "[resolved]")
    assert c.clean_subject == "Re: [#123] Rēķins neatveras"
    c = parse("[take][1,5 h]Atb.:  [#77]   Nevar   atvērt [IMPACT high]")
    assert (c.take, c.minutes, c.impact) == (True, 90, "high")
    assert c.clean_subject == "Atb.: [#77] Nevar atvērt"


def test_empty():
    assert parse("Re: [#1] hello").empty
    assert parse("").empty and parse("").clean_subject == ""
    assert not parse("[note]").empty


# --- format_tags ----------------------------------------------------------------------------------------------

def test_format_tags():
    assert format_tags(Commands()) == ""
    assert format_tags(Commands(minutes=90, category="paid", status="resolved")) == "[1h30m] [paid] [resolved]"
    assert format_tags(Commands(minutes=60, work_date=date(2026, 1, 2))) == "[1h 2026-01-02]"
    assert format_tags(Commands(minutes=5, take=True, priority="P1", report="")) == "[5m] [take] [prio P1] [report]"
    assert format_tags(Commands(assign="ilze", impact="low", urgency="high", note=True, client="acme", notify=True,
                                pd_allow=date(2026, 12, 31), report="2026-10")) == (
        "[assign ilze] [impact low] [urgency high] [client acme] [note] [notify] [pd-allow 2026-12-31]"
        " [report 2026-10]")
    with pytest.raises(ValueError):
        format_tags(Commands(work_date=TODAY))


# --- the alias tables ------------------------------------------------------------------------------------------

def test_alias_tables_do_not_collide():
    whole_words = [CATEGORY_ALIASES, STATUS_ALIASES, FLAG_ALIASES, KEYWORD_ALIASES]
    seen: dict[str, str] = {}
    for table in whole_words:
        for canonical, words in table.items():
            for word in (canonical, *words):
                assert seen.setdefault(fold(word), canonical) == canonical, word
    assert set(ALIASES) == {"category", "status", "flag", "keyword", "unit"}


# --- properties ------------------------------------------------------------------------------------------------

NAMES = st.from_regex(r"[a-z0-9āčēģīķļņšūžа-я][a-z0-9._+āčēģīķļņšūž-]{0,12}", fullmatch=True)


@st.composite
def commands(draw) -> Commands:
    minutes = draw(st.none() | st.integers(1, 24 * 60))
    take = draw(st.booleans())
    status = draw(st.none() | st.sampled_from(("waiting", "resolved", "closed", "reopen")))
    note = status not in ("waiting", "resolved") and draw(st.booleans())  # a note never writes to the client
    return Commands(
        minutes=minutes,
        work_date=draw(st.none() | st.dates(max_value=TODAY)) if minutes else None,
        category=draw(st.none() | st.sampled_from(PLAN)),
        status=status,
        assign=None if take else draw(st.none() | NAMES),
        take=take,
        impact=draw(st.none() | st.sampled_from(("high", "medium", "low"))),
        urgency=draw(st.none() | st.sampled_from(("high", "medium", "low"))),
        priority=draw(st.none() | st.sampled_from(("P1", "P2", "P3", "P4"))),
        note=note,
        client=draw(st.none() | NAMES),
        notify=draw(st.booleans()) if not note else False,
        pd_allow=draw(st.none() | st.dates()),
        report=draw(st.none() | st.just("") | st.builds("{:04d}-{:02d}".format, st.integers(0, 9999),
                                                           st.integers(1, 12))),
    )


PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(commands())
def test_every_valid_commands_value_round_trips(c):
    back = parse(format_tags(c), categories=PLAN)
    assert back == c
    assert format_tags(back) == format_tags(c)
    assert back.clean_subject == ""
    assert len(back.tags) == format_tags(c).count("[")


SUBJECT_CHARS = st.sampled_from(list("[]#[]  hmHM0123456789.,-:/*ātšжчмин") + ["time ", "paid", "note", "prio ",
                                                                             "assign ", "report", "\t", "\u0301"])


@PROPS
@given(st.lists(SUBJECT_CHARS, max_size=40).map("".join) | st.text(max_size=60),
       st.text(max_size=20), st.lists(st.text(max_size=8), max_size=3))
def test_no_input_crashes_the_parser(subject, original, categories):
    try:
        c = parse(subject, original=original, categories=categories)
    except TagError as e:
        assert e.errors and all(isinstance(m, Notice) and m.code in CODES for m in e.errors)
        assert all(say(e.errors, "en"))  # each one something an agent can read
    else:
        assert isinstance(c, Commands)
        assert "\n" not in c.clean_subject


FILLER = st.text(st.characters(blacklist_characters="[]", blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["Re: ", "AW: ", " [#123] ", " [EXTERNAL] ", " [2/3] ", "Rēķins neatveras", " Счёт "])


@PROPS
@given(commands(), st.data())
def test_order_case_and_surrounding_text_do_not_matter(c, data):
    tags = re.findall(r"\[[^\]]*\]", format_tags(c))
    tags = data.draw(st.permutations(tags))
    tags = [data.draw(st.sampled_from([t, t.upper(), t.replace("[", "[ ").replace("]", "  ]")])) for t in tags]
    fillers = [data.draw(FILLER) for _ in range(len(tags) + 1)]
    subject = fillers[0] + "".join(t + f for t, f in zip(tags, fillers[1:]))
    back = parse(subject, categories=PLAN)
    assert back == c
    assert back.tags == tuple(tags)
    assert back.clean_subject == " ".join("".join(fillers).split())
