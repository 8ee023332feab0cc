"""The shortcuts rendering takes for a statement's thousands of values give exactly what Jinja and textwrap give:
a table cell wrapped as textwrap.wrap wraps it, `mapping.key` looked up as Jinja looks it up, and a function a
template calls called as Jinja calls it (a pass_context function still gets the context)."""
import textwrap

from hypothesis import given, settings, strategies as st
from jinja2 import pass_context

from mailbot.outbound.render import environment, wrapped

# Words, spaces (runs of them too), hyphens (and dashes of two), tabs and other whitespace, letters beyond Latin.
CELLS = st.lists(st.sampled_from(list("abcdefghij āčēžЖщ.,!?'\"()0123456789") + [
    " ", "  ", "-", "--", "\t", "\n", "\xa0", "\u2003", "😀"]), max_size=80).map("".join)


@settings(max_examples=2000, deadline=None)
@given(value=CELLS, width=st.integers(min_value=1, max_value=40))
def test_a_cell_is_wrapped_as_textwrap_wraps_it(value, width):
    assert wrapped(value, width) == textwrap.wrap(value, width)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzāčē", min_size=1, max_size=12), min_size=1,
                      max_size=12), width=st.integers(min_value=1, max_value=40))
def test_plain_words_are_wrapped_as_textwrap_wraps_them(words, width):
    value = " ".join(words)
    assert wrapped(value, width) == textwrap.wrap(value, width)


def test_a_mapping_key_reads_as_jinja_reads_it():
    env = environment()
    template = env.from_string("{{ d.total }}|{{ d.items is defined }}|{{ d.get('x', 'none') }}|"
                               "{{ d.missing is defined }}")
    # `items` is the dict's method (an attribute comes first), whatever the mapping holds under that key
    assert template.render(d={"total": "12.00", "items": "not this"}) == "12.00|True|none|False"


def test_functions_are_called_as_jinja_calls_them():
    env = environment()

    @pass_context
    def who(context, greeting):
        return f"{greeting} {context['name']}"

    rows = []
    template = env.from_string("{% for n in [1, 2] %}{{ who('Labdien,') }} {{ hm(n) }}{% set _ = rows.append(n) %}"
                               "{% endfor %}{{ next_of(empty) is defined }}")
    out = template.render(who=who, name="Anna", hm=lambda m: f"0:{m:02d}", rows=rows, next_of=next, empty=iter(()))
    assert out == "Labdien, Anna 0:01Labdien, Anna 0:02False" and rows == [1, 2]
