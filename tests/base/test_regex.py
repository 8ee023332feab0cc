"""compile_fast: the first-character lookahead never changes what a regex finds."""
import re

from hypothesis import given, settings, strategies as st

from mailbot.privacy import contacts, people
from mailbot.base.regex import compile_fast

WORDS = ["alga", "bruto", "зарплат", "mob\\.?", "her(?!\\w)", "dz\\.\\s?d\\.", "[sș]alariu", "nar\\.", "Ķēde",
         "\\bnet", "a-b", "\\]x", "(?:x|y)z", "ſt", "\\d{2}", "q?r", "[^k]m"]
ALPHABET = "aAbBrRuUtToOlLgGзЗаАрРпПлЛтТmMhHeEdDsSșȘnN.-]xyzſkKqQ 0123456789\nĶķēĒ"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), st.booleans(), st.booleans(),
       st.lists(st.text(alphabet=ALPHABET, max_size=80), min_size=1, max_size=5))
def test_the_same_matches_as_re_compile(words, ignorecase, lookbehind, texts):
    pattern = ("(?<!\\w)" if lookbehind else "") + "(" + "|".join(words) + ")"
    flags = re.I if ignorecase else 0
    plain, fast = re.compile(pattern, flags), compile_fast(pattern, flags)
    for text in texts:
        assert [(m.span(), m.groups()) for m in plain.finditer(text)] == \
               [(m.span(), m.groups()) for m in fast.finditer(text)]


def test_keyword_lists_get_the_lookahead_and_find_what_they_did():
    assert people.SALARY.pattern.startswith("(?=[")
    assert people.BIRTH.pattern.startswith("(?=[")
    assert contacts.PERSON_WORDS.pattern.startswith("(?=[")
    text = "Darbiniekam Jānim Ozolam ALGA 1200 EUR, dzimšanas datums 03.07.1988; ЗАРПЛАТА за май"
    assert [m.group(0).lower() for m in people.SALARY.finditer(text)] == ["alga", "зарплат"]
    assert people.BIRTH.search(text).group(0) == "dzimšanas datums"


def test_patterns_it_cannot_prefix_are_left_as_they_are():
    for pattern in ("x?abc", "(?i:abc)|d", "[^x]bar", "\\w+@", "(?x) a b"):
        assert compile_fast(pattern).pattern == pattern
