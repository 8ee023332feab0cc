"""Subject handling for threading: reply prefixes in our clients' languages, ticket references, and a
Unicode case-fold that keeps Cyrillic replies on their ticket."""
from hypothesis import given, strategies as st

from mailbot.tickets.subjects import base_subject, is_reply, ticket_ref

PREFIXES = ["Re:", "RE:", "re :", "AW:", "Fwd:", "FW:", "Atb.:", "Ats.:", "Răsp:", "Odp:", "Отв:", "Re[2]:",
            "RE(3):", "Pārs.:", "Пересл:", "TR:", "SV:", "Antw:"]
# The letters our clients write with (Turkish dotless ı, for one, does not survive upper/lower round trips).
ALPHABET = ("abcdefghijklmnopqrstuvwxyz0123456789āčēģīķļņšūžąęėįųăâîșțáäéíĺľóôŕúýďňťабвгдеёжзийклмнопрстуфхцчшщъыьэюя")
WORDS = st.text(alphabet=ALPHABET + ALPHABET.upper(), min_size=1, max_size=12)


def test_prefixes_are_recognised_and_removed():
    for p in PREFIXES:
        assert is_reply(f"{p} Algas aprēķins"), p
        assert base_subject(f"{p} Algas aprēķins") == "algas aprēķins", p
    assert base_subject("Re: Fwd: RE: [#12] Отчёт НЕ формируется") == "отчёт не формируется"
    assert not is_reply("Rēķins par oktobri")
    assert not is_reply("Reports are slow")  # a word starting with "re" is not a prefix


def test_ticket_reference_survives_prefixes():
    assert ticket_ref("Re: Re[2]: [#1234] Problēma") == 1234
    assert ticket_ref("Отв: Fwd: something [#7]") == 7
    assert ticket_ref("no reference #12") is None


@given(st.lists(st.sampled_from(PREFIXES), max_size=4), st.lists(WORDS, min_size=1, max_size=5),
       st.integers(min_value=1, max_value=10**9))
def test_base_subject_is_stable_under_prefixes_refs_and_case(prefixes, words, ref):
    subject = " ".join(words)
    decorated = " ".join(prefixes + [f"[#{ref}]", subject.upper()])
    assert base_subject(decorated) == base_subject(subject)
    assert ticket_ref(decorated) == ref
    assert base_subject(base_subject(decorated)) == base_subject(decorated)  # idempotent
