"""The short description of the work done, for the time journal and the statement (seed 002: "a short
description of the work done"), taken from an agent's reply.

Grammar, in order:

1. A line the agent writes for the purpose wins, in any of the six languages, anywhere in the reply::

       Work: fixed the VAT rounding of the invoice form
       Darbs: … (lv)   Darbas: … (lt)   Lucrare: … (ro)   Práca: … (sk)   Работа: … (ru)

2. Otherwise the first sentence of the agent's own text, after the salutation ("Labdien, Jāni!", "Laba diena,",
   "Bună ziua, domnule Popescu,", "Dobrý deň,", "Здравствуйте, Иван!", "Hello John,") and before the sign-off
   ("Ar cieņu", "Pagarbiai", "Cu stimă", "S pozdravom", "С уважением", "Best regards" ...).
3. Nothing left (a greeting and a signature only): the ticket's subject.

A [note] is the agent's own record and is kept as written: its first line. Pure: no I/O.
"""
from __future__ import annotations

import re

MAX_LENGTH = 500
# "Work: ...": the explicit form, one line.
_STATED = re.compile(r"^[ \t>]*(?:work|darbs|darbas|lucrare|lucrarea|práca|praca|работа)[ \t]*:[ \t]*(\S.*?)\s*$",
                     re.I | re.M)
_GREETINGS = (
    r"labdien|labr[iī]t|labvakar|sveiki|sveicin[aā]ti|[cč]au|god[aā]t\w*|cien[iī]jam\w*"  # lv
    r"|laba\s+diena|labas(?:\s+rytas|\s+vakaras)?|sveiki|sveikas|gerb\w*"  # lt
    r"|bun[aă]\s+ziua|bun[aă]\s+diminea[tț]a|bun[aă]\s+seara|salut\w*|stimat\w*|drag[aăe]"  # ro
    r"|dobr[yý]\s+de[nň]|dobr[eé]\s+r[aá]no|ahoj|zdrav[ií]m|v[aá][zž]en[yýaá]\w*"  # sk
    r"|здравствуйте|здравствуй|добрый\s+день|доброе\s+утро|добрый\s+вечер|привет\w*|уважаем\w*"  # ru
    r"|hello|hi|hey|dear|good\s+(?:morning|afternoon|evening)|greetings"  # en
)
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĒĖĘĚĢĪĮĶĹĻĽŁŃŅŇŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽȘȚА-ЯЁ"
_TITLES = (r"(?:domnule|doamn[aă]|domni[sș]oar[aă]|pane|pani|господин|госпожа|mr\.?|mrs\.?|ms\.?|kungs|kundze|"
           r"pone|ponia)")
# A greeting, then perhaps a title and a name (capitalised words followed by "!", "," or the end of the line),
# then its punctuation: "Labdien, Jāni!", "Bună ziua, domnule Popescu,", "Laba diena," — what follows on the
# same line is the agent's text ("Labdien, pievienoju jaunu lietotāju.").
_SALUTATION = re.compile(
    rf"^[ \t]*(?:{_GREETINGS})(?![\w])"
    rf"(?:[ \t,]+(?:{_TITLES}[ \t]+)?(?:[{_UPPER}][\w'.-]*[ \t]*){{1,3}}(?=[ \t]*(?:[!,.:]|$)))?"
    r"[ \t]*[!,.:]*[ \t]*", re.I)
_SIGN_OFFS = re.compile(
    r"^[ \t]*(?:ar\s+cie[nņ]u|ar\s+labiem\s+v[eē]l[eē]jumiem|paldies|pagarbiai|su\s+pagarba|a[cč]i[uū]|"
    r"cu\s+stim[aă]|cu\s+respect|mul[tț]umesc|toate\s+cele\s+bune|s\s+pozdravom|[sď]akujem|pekn[yý]\s+de[nň]|"
    r"с\s+уважением|спасибо|всего\s+доброго|best\s+regards|kind\s+regards|regards|thanks|thank\s+you|"
    r"cheers|sincerely|--\s*$)", re.I)
# The end of a sentence: ., ! or ? before a space and a capital letter or a digit (an initial "K. Valdemāra" or
# "Nr. 5" is followed by a space too, but an abbreviation is short: see _first_sentence).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĀČĒĢĪĶĻŅŠŪŽĄĘĖĮŲĂÂÎȘȚŞŢÁÄÉÍĹĽŇÓÔŔŠŤÚÝŽА-ЯЁ0-9])")
_WS = re.compile(r"\s+")
_ABBREVIATIONS = frozenset(("nr", "no", "str", "pr", "tel", "u.c", "utt", "t.i", "pvz", "t.y", "ul", "sk", "ca", "e.g",
                            "i.e", "vs", "mr", "mrs", "ms", "dr", "etc", "ing", "bd", "sp", "ул", "д", "т.д", "т.п",
                            "г", "тел", "č", "tj", "napr", "resp"))


def stated(text: str) -> str | None:
    """The description the agent wrote out ("Work: ..."), or None."""
    m = _STATED.search(text or "")
    return _WS.sub(" ", m.group(1)).strip()[:MAX_LENGTH] if m else None


def work_description(text: str, subject: str = "", *, note: bool = False) -> str:
    """The description of the work in `text` (an agent's reply, quotes already removed); see the module docstring."""
    text = (text or "").replace("\r\n", "\n")
    if note:
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        return (first or _WS.sub(" ", subject).strip())[:MAX_LENGTH]
    written = stated(text)
    if written:
        return written
    return (_first_sentence(_own_words(text)) or _WS.sub(" ", subject).strip())[:MAX_LENGTH]


def _own_words(text: str) -> str:
    """The text between the salutation and the sign-off."""
    lines = text.strip().splitlines()
    while lines:
        rest = _SALUTATION.sub("", lines[0], count=1) if _SALUTATION.match(lines[0]) else None
        if rest is None:
            break
        if rest.strip():
            lines[0] = rest
            break
        lines.pop(0)
        while lines and not lines[0].strip():
            lines.pop(0)
    for i, line in enumerate(lines):
        if _SIGN_OFFS.match(line):
            lines = lines[:i]
            break
    return "\n".join(lines).strip()


def _first_sentence(text: str) -> str:
    paragraph = _WS.sub(" ", text.split("\n\n", 1)[0]).strip()
    for m in _SENTENCE_END.finditer(paragraph):
        word = paragraph[:m.start()].rsplit(" ", 1)[-1]
        core = word.rstrip(".").lower()
        # An initial ("K. Ozols") or a usual abbreviation ("Nr. 5", "Str. Mihai") does not end a sentence.
        if word.endswith(("!", "?")) or core.isdigit() or (len(core) > 1 and core not in _ABBREVIATIONS):
            return paragraph[:m.start()].strip()
    return paragraph
