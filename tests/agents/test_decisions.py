"""The head's decision tags on an objection: [upheld], [upheld #12 free], [rejected], in any of the six languages."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.agents.decisions import Decision, objection_ref, parse_decisions
from mailbot.agents.tags import TagError


def test_upheld_alone_makes_every_item_free():
    d = parse_decisions("Re: [O-7] Iebildums [upheld]")
    assert d.items == (Decision("upheld", "free", None),)
    assert d.for_ticket(12) == Decision("upheld", "free", None)


def test_per_ticket_decisions_and_a_general_one_for_the_rest():
    d = parse_decisions("Re: [O-7] x [upheld #12 paid] [rejected]")
    assert d.for_ticket(12) == Decision("upheld", "paid", 12)
    assert d.for_ticket(13) == Decision("rejected", None, None)
    assert parse_decisions("[upheld free #12]").items == (Decision("upheld", "free", 12),)


@pytest.mark.parametrize("word,verdict", [("atbalstīts", "upheld"), ("ATBALSTITS", "upheld"), ("noraidīts", "rejected"),
                                          ("patenkinta", "upheld"), ("atmesta", "rejected"), ("respins", "rejected"),
                                          ("uznané", "upheld"), ("zamietnuté", "rejected"), ("удовлетворено", "upheld"),
                                          ("отклонено", "rejected")])
def test_the_verdicts_in_the_six_languages(word, verdict):
    assert parse_decisions(f"[{word}]").items[0].verdict == verdict


def test_a_plans_own_category_and_free_in_its_language():
    d = parse_decisions("[atbalstīts #3 bezmaksas]", categories=("bezmaksas", "maksas"))
    assert d.items == (Decision("upheld", "bezmaksas", 3),)


@pytest.mark.parametrize("subject,code", [
    ("[rejected free]", "decision-unparsable"), ("[upheld #1 #2]", "decision-unparsable"),
    ("[upheld premium]", "category-not-in-plan"), ("[upheld] [resolved]", "unknown-tag"),
    ("[upheld #4] [rejected #4]", "two-values"), ("Re: [O-7] thanks", "decision-none")])
def test_every_fault_is_reported_and_nothing_decided(subject, code):
    with pytest.raises(TagError) as exc:
        parse_decisions(subject)
    assert code in [n.code for n in exc.value.errors]


def test_brackets_that_are_no_command_are_left_alone():
    d = parse_decisions("Re: [O-7] [EXTERNAL] [#12] [2/3] [upheld]", original="Iebildums [svarīgi]")
    assert len(d.items) == 1
    assert parse_decisions("Re: [O-7] Iebildums [svarīgi] [rejected]", original="Iebildums [svarīgi]").items[0].verdict \
        == "rejected"


@given(st.integers(1, 10**9))
def test_the_reference_is_read_back(n):
    assert objection_ref(f"Re: Re: [O-{n}] Iebildums [upheld]") == n
    assert objection_ref(f"[o-{n}]") == n
