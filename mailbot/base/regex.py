"""Keyword regexes that reject most positions at once.

A case-insensitive alternation of many words ("alga|bruto|зарплат|...") defeats the `re` engine's literal
search: it tries every alternative at every position of the text, some 100 µs for a short mail. Prefixed with
a lookahead for the characters the alternatives can begin with, the engine skips ahead by that class and the
same regex runs four or five times faster. The matches are identical: the lookahead is derived from the
pattern itself and is zero-width.
"""
from __future__ import annotations

import re

try:
    from re import _constants as _c, _parser as _sre  # Python 3.11+
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre  # type: ignore[no-redef]


def compile_fast(pattern: str, flags: int = 0) -> re.Pattern:
    """re.compile(pattern, flags), with a leading first-character lookahead when one can be derived."""
    try:
        first = _first(_sre.parse(pattern, flags))
    except Exception:
        first = None
    if not first:
        return re.compile(pattern, flags)
    chars = "".join(re.escape(ch) for ch in sorted(first))
    try:
        return re.compile(f"(?=[{chars}])(?:{pattern})", flags)
    except re.error:  # e.g. a global (?x) that must open the pattern
        return re.compile(pattern, flags)


def _first(items) -> set[str] | None:
    """The characters a match of `items` can start with; None when that is not a small set of literals."""
    for op, av in items:
        if op is _c.LITERAL:
            return {chr(av)}
        if op is _c.SUBPATTERN:
            group, add_flags, del_flags, sub = av
            return None if add_flags or del_flags else _first(sub)  # (?i:...) would not hold for the lookahead
        if op is _c.BRANCH:
            out: set[str] = set()
            for branch in av[1]:
                found = _first(branch)
                if found is None:
                    return None
                out |= found
            return out
        if op is _c.IN:
            out = set()
            for kind, value in av:
                if kind is _c.LITERAL:
                    out.add(chr(value))
                elif kind is _c.RANGE and value[1] - value[0] < 256:
                    out.update(map(chr, range(value[0], value[1] + 1)))
                else:
                    return None
            return out
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            return _first(av[2])
        if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
            continue  # zero-width: the next item decides
        return None
    return None
