"""People: names in tables and lists or next to a code, a birth date or a salary; birth dates; salary lines.

A capitalised pair of words is a name only with evidence: it sits in a column headed Vārds/Vardas/Nume/
Meno/ФИО/Name…, or beside a personal code, a date of birth or a salary and looks like a name (a known given
name, or a surname's ending in one of our languages), or it is one of several names listed alone, one a line.
Running text is full of capitalised pairs that are not people ("Galvenā Grāmata", "Microsoft Excel"), and
streets and banks are named after people ("Str. Mihai Eminescu", "Banca Transilvania", not_people.txt), so
nothing else is a name.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from mailbot.base.regex import compile_fast

UP = "A-ZĀČĒĢĪĶĻŅŠŪŽĄĘĖĮŲĂÂÎȘȚŞŢÁÄĎÉÍĹĽŇÓÔŔŤÚÝĚŘŮÕÖÜŁŃŚŹŻА-ЯЁ"
LOW = "a-zāčēģīķļņšūžąęėįųăâîșțşţáäďéíĺľňóôŕťúýěřůõöüłńśźżßа-яё"
WORD = rf"[{UP}][{LOW}]+(?:-[{UP}][{LOW}]+)?|[{UP}]{{2,}}(?:-[{UP}]{{2,}})?"
PAIR = re.compile(rf"(?<![\w.@-])(?:{WORD})(?:[ \t]+(?:{WORD})){{1,3}}(?![\w@])")
# Words of a column header over people's names: "Vārds", "Uzvārds", "Vardas, pavardė", "Nume și prenume",
# "Surname, name", "ФИО", "Darbinieks" ... A header made only of these (and joining words) heads names.
NAME_WORDS = frozenset("""
vārds uzvārds vārdi darbinieks darbinieka darbinieki vardas pavardė darbuotojas darbuotojo darbuotojai nume prenume
numele prenumele angajat angajatul angajatului salariat salariatul meno priezvisko zamestnanec zamestnanca
jméno příjmení zaměstnanec фио ф.и.о. фамилия имя отчество сотрудник работник сотрудника работника name names
surname first last full employee employees person imię nazwisko pracownik eesnimi perekonnanimi nimi töötaja
""".split())
_JOINERS = frozenset("un ir și si a и i and & / , . - ( ) № nr no".split())
_CORE = NAME_WORDS - {"first", "last", "full", "name", "names"}


class _NameHeader:
    """`NAME_HEADER.match(header)`: the header cell is made of name words (and joiners) only."""

    @staticmethod
    def match(header: str) -> bool:
        words = [w for w in re.split(r"[\s,./()&-]+", header.lower()) if w]
        return bool(words) and all(w in NAME_WORDS or w in _JOINERS for w in words) and (
            any(w in _CORE for w in words) or "name" in words or "names" in words)


NAME_HEADER = _NameHeader()
# "Name" alone heads product and file columns too: its cells must look like people.
LOOSE_HEADER = re.compile(r"^(name|nosaukums|pavadinimas|denumire|názov|название)$", re.I)
BIRTH = compile_fast(
    r"(dzimšanas datums|dzimš\.|dzim\.|dzimis|dzimusi|dz\.\s?d\.|gimimo data|gim\.|gimęs|gimusi|data na[sșş]terii|"
    r"n[aă]scut|n[aă]scut[aă]|dátum narodenia|dát\. nar\.|narodený|narodená|narodil|nar\.|"
    r"datum narození|дата рождения|д\.\s?р\.|родился|родилась|г\.\s?р\.|date of birth|birth ?date|born|dob|"
    r"sünniaeg|data urodzenia|urodzony|urodzona)", re.I)
# Written after the date: "03.07.1988 г. р.", "1985-03-14 gim."
BIRTH_AFTER = re.compile(r"\s*(\(?\s*)?(г\.?\s?р\.?|года рождения|gim\.|dzim\.|nar\.|born)", re.I)
DATE = re.compile(r"(?<!\d)(\d{1,2}[./]\d{1,2}[./](?:19|20)\d{2}|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}|"
                  r"\d{1,2}\.\d{1,2}\.\d{2})(?![\d])")
SALARY = compile_fast(
    r"(alga|algas|atalgojum|darba samaksa|bruto|neto|izmaksājam|avans|advance|аванс|darbo užmokest|atlyginim|"
    r"užmokesč|priskaičiuota|výplat|"
    r"išmokėti|salariu|salarii|salarial|venit|brut|mzda|mzdy|plat\b|odmena|hrubá|čistá|зарплат|заработн|оклад|"
    r"начислен|к выплате|премия|salary|wage|gross pay|net pay|palk|wynagrodzeni|pensja)", re.I)
AMOUNT = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ .\u00a0]\d{3})+(?:[.,]\d{1,2})?|\d{3,7}(?:[.,]\d{1,2})?|\d{1,2}[.,]\d{2})"
                    r"(?![\w.,]?\d)")
# Already de-identified samples and headings that look like names.
PLACEHOLDER = re.compile(
    r"^(vārds uzvārds|vardas pavardė|nume prenume|meno priezvisko|name surname|first last|john doe|jane doe|"
    r"фамилия имя( отчество)?|иванов иван иванович|jan kowalski|darbinieks \d+|darbuotojas \d+|employee \d+|"
    r"angajat \d+|zamestnanec \d+|сотрудник \d+)$|x{3,}|\*{2,}", re.I)
# Capitalised words that lead into a name without being part of it: roles, titles, pronouns, requests.
LEAD = re.compile(
    r"^(darbiniek\w*|darbuotoj\w*|angajat\w*|salariat\w*|zamestnan\w*|сотрудни\w*|работни\w*|employee|"
    r"kolēģ\w*|koleg\w*|коллег\w*|klient\w*|client\w*|клиент\w*|direktor\w*|директор\w*|grāmatved\w*|"
    r"buhalter\w*|contabil\w*|účtovn\w*|бухгалтер\w*|lūdzu|prašau|prosím|прошу|mūsu|mūsų|viņa|viņas|his|her|"
    r"его|её|the|our|mr|mrs|ms|dr|pan|pani|kungs|kundze|ponas|ponia|domnul|doamna|господин|госпожа|labdien|"
    r"sveiki|laba|labas|bună|dobrý|здравствуйте|hello|dear|cien\w*|gerb\w*|stimat\w*|vážen\w*|уважаем\w*|"
    r"piemēram|pavyzdžiui|napríklad|například|например|example)$",
    re.I)
SURNAME_ENDING = re.compile(
    r"(s|š|a|e|is|ys|us|as|ė|ienė|aitė|ytė|utė|escu|eanu|ănescu|ová|ský|ská|ák|ík|ov|ev|in|ova|eva|ina|skij|skii|"
    r"ский|ская|ов|ев|ёв|ин|ова|ева|ина|ко|ук|юк|ич|ski|ska|cki|cka|wicz)$")
STOP = frozenset(w.lower() for w in (
    "SIA AS UAB AB SRL SA ООО ЗАО ПАО АО ИП Ltd LLC GmbH Inc Microsoft Windows Excel Word Office Outlook Google "
    "Chrome SQL Server Oracle PDF XML CSV EUR USD RUB PVN PVM TVA DPH НДС VAT Rīga Vilnius Kaunas "
    "București Bratislava Košice Москва Санкт-Петербург Tallinn Janvāris Februāris Marts Aprīlis Maijs Jūnijs "
    "Jūlijs Augusts Septembris Oktobris Novembris Decembris Sausis Vasaris Kovas Balandis Gegužė Birželis Liepa "
    "Rugpjūtis Rugsėjis Spalis Lapkritis Gruodis Ianuarie Februarie Martie Aprilie Mai Iunie Iulie August "
    "Septembrie Octombrie Noiembrie Decembrie Január Február Marec Apríl Máj Jún Júl Október Január Январь "
    "Февраль Март Апрель Май Июнь Июль Август Сентябрь Октябрь Ноябрь Декабрь Labdien Sveiki Labas Laba "
    "Diena Bună Ziua Dobrý Deň Здравствуйте Добрый День Hello Dear Error Kļūda Klaida Eroare Chyba Ошибка "
    "Total Kopā Iš Viso Итого Summa Suma Bruto Neto Alga Paldies Ačiū Спасибо").split())


@lru_cache(maxsize=1)
def name_countries() -> dict[str, frozenset[str]]:
    """Given names of our countries (a shipped list, one section per country), lower-cased -> the sections
    (lv, lt, ro, sk, cz, ru, pl, ee, en) they are common in."""
    text = resources.files("mailbot.privacy").joinpath("first_names.txt").read_text("utf-8")
    out: dict[str, set[str]] = {}
    section = ""
    for line in text.splitlines():
        if line.startswith("# "):
            section = line[2:].strip()
        elif line.strip():
            out.setdefault(line.strip().lower(), set()).add(section)
    return {name: frozenset(s) for name, s in out.items()}


def first_names():
    return name_countries().keys()


_RU_CASE = ("ой", "ей", "ом", "ем", "ою", "ею", "а", "у", "е", "ы", "и", "ю", "я")


def given_name(word: str) -> bool:
    """A known given name, also in a Russian case ("Ивану", "Еленой", "Павла"): Russian running text names
    people in the case the sentence needs, and the list holds the nominative."""
    w = word.lower()
    names = name_countries()
    if w in names:
        return True
    if not ("а" <= w[:1] <= "я" or w[:1] == "ё"):
        return False
    for ending in _RU_CASE:
        if w.endswith(ending) and len(w) > len(ending) + 2:
            stem = w[:-len(ending)]
            fleeting = stem[:-1] + "е" + stem[-1]  # Павла -> Павел
            if any(c in names for c in (stem, stem + "а", stem + "я", stem + "й", stem + "ья", fleeting)):
                return True
    return False


@lru_cache(maxsize=1)
def _not_people() -> dict[str, frozenset[str]]:
    """The sections of not_people.txt: street-before, street-after, bank."""
    text = resources.files("mailbot.privacy").joinpath("not_people.txt").read_text("utf-8")
    out: dict[str, set[str]] = {}
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif line and not line.startswith("#"):
            out.setdefault(section, set()).add(line)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _street_patterns() -> tuple[re.Pattern, re.Pattern]:
    words = _not_people()
    alt = lambda section: "|".join(sorted(map(re.escape, words[section]), key=len, reverse=True))  # noqa: E731
    before = re.compile(rf"(?<![\w-])(?:{alt('street-before')})\.?[ \t]*$", re.I)
    after = re.compile(rf"[ \t]*,?[ \t]*(?:(?:{alt('street-after')})(?:\.|(?![\w-]))|nr\.?[ \t]*\d)", re.I)
    return before, after


def not_a_person(text: str, start: int, end: int, words: list[str]) -> bool:
    """A street's or a bank's name: a bank word in it, a street word before or after it on its line."""
    banks, streets = _not_people()["bank"], _not_people()["street-before"]
    lows = [w.lower() for w in words]
    if any(w in banks or w.endswith(("bank", "банк")) for w in lows) or lows[0] in streets:
        return True
    before, after = _street_patterns()
    line_start = text.rfind("\n", 0, start) + 1
    return bool(before.search(text, max(line_start, start - 16), start) or after.match(text, end))


def country_of_names(text: str) -> set[str]:
    """The countries whose given names occur in text (for telling an Estonian code from a Lithuanian one)."""
    found: set[str] = set()
    names = name_countries()
    for word in re.findall(rf"[{UP}][{LOW}]+", text):
        found |= names.get(word.lower(), frozenset())
    return found


def looks_like_name(words: list[str], strict: bool = True) -> bool:
    """Two or three capitalised words that read as a person's name."""
    if any(w.lower() in STOP for w in words) or PLACEHOLDER.search(" ".join(words)):
        return False
    if any(given_name(w) for w in words):
        return True
    return not strict and any(SURNAME_ENDING.search(w.lower()) for w in words[1:] + words[:1])


def pairs(text: str, start: int, end: int, strict: bool = True):
    """Capitalised name-like word runs in text[start:end] as (start, end, value)."""
    for m in PAIR.finditer(text, start, end):
        value, offset = m.group(0), m.start()
        while (lead := re.match(r"\S+", value)) and LEAD.match(lead.group(0)) and len(value.split()) > 2:
            cut = re.match(r"\S+\s+", value).end()
            value, offset = value[cut:], offset + cut
        words = value.split()
        if LEAD.match(words[0]) or len(words) > 3:
            continue
        if looks_like_name(words, strict) and not not_a_person(text, offset, offset + len(value), words):
            yield offset, offset + len(value), value


_ALONE = re.compile(rf"^[ \t]*((?:{WORD})(?:[ \t]+(?:{WORD})){{1,2}})[ \t]*$", re.M)


def names_alone(layout):
    """People listed one a line with nothing else on it (an HTML list of <br>, <div>, <p> or a one-column table
    turns into this): three names or more (two of them known given names), or two known ones announced by a
    colon or followed by the closing formula. Names after a closing formula are signatures, and lines of a
    table are read by their header instead. (14 of the 18 messages of tests/privacy_set's additions that the
    guard missed before this rule were such lists; the one with <ul> was found as list items.)"""
    from mailbot.privacy.layout import CLOSING
    text, run = layout.text, []
    for m in _ALONE.finditer(text):
        row, words = layout.line_of(m.start(1)), m.group(1).split()
        if len(m.group(1)) > 60 or row in layout.cells or LEAD.match(words[0]) \
                or not looks_like_name(words, strict=False) or not_a_person(text, m.start(1), m.end(1), words):
            continue
        if run and text[layout.line_span(run[-1][0])[1]:m.start()].strip():
            yield from _listed(layout, run, CLOSING)  # something stood between: a new run
            run = []
        run.append((row, m.start(1), m.end(1), m.group(1), looks_like_name(words)))
    yield from _listed(layout, run, CLOSING)


def _listed(layout, run, closing):
    """The names of a run of name-only lines, if it is a list of people (names_alone)."""
    if sum(item[4] for item in run) < 2:
        return
    intro, after = _next_line(layout, run[0][0], -1), _next_line(layout, run[-1][0], 1)
    if (len(run) >= 3 or intro.endswith(":") or closing.match(after)) and not closing.match(intro):
        yield from (item[1:4] for item in run)


def _next_line(layout, row: int, step: int) -> str:
    """The nearest line with text before (step -1) or after (step 1) a row."""
    row += step
    while 0 <= row < len(layout.starts):
        line = layout.line(row).strip()
        if line:
            return line
        row += step
    return ""


def table_names(layout):
    """Cells under a name column header that hold a name."""
    for line, cells in layout.cells.items():
        if line in layout.header_lines:
            continue
        for start, end, header in cells:
            if not header or not NAME_HEADER.match(header):
                continue
            value = layout.text[start:end].strip()
            if not value or not re.search(rf"[{UP}]", value) or re.search(r"\d", value) or PLACEHOLDER.search(value) \
                    or NAME_HEADER.match(value):
                continue
            words = value.split()
            if len(words) > 4 or LOOSE_HEADER.match(header) and not looks_like_name(words):
                continue
            offset = layout.text.index(value, start)
            yield offset, offset + len(value), value


def birth_dates(layout):
    """A date after a birth keyword on the same line, or under a birth-date column header."""
    text = layout.text
    for m in BIRTH.finditer(text):
        line_end = layout.row(m.start())[1]
        d = DATE.search(text, m.end(), min(line_end, m.end() + 40))
        if d:
            yield d.start(1), d.end(1), d.group(1)
    for d in DATE.finditer(text):
        if BIRTH_AFTER.match(text, d.end()):
            yield d.start(1), d.end(1), d.group(1)
    for line, cells in layout.cells.items():
        for start, end, header in cells:
            if header and BIRTH.search(header):
                d = DATE.search(text, start, end)
                if d:
                    yield d.start(1), d.end(1), d.group(1)


AMOUNT_HEADER = compile_fast(r"^(amount|sum|summa|suma|sumă|suma de plată|сумма|сумма к выплате|částka|čiastka|"
                           r"izmaksājamā summa|mokėtina suma|total|kopā|iš viso|итого)$", re.I)


def salary_amounts(layout, start: int, end: int):
    """Amounts on a row [start, end) that mentions pay: in the line, its column headers, or — for an amount
    column — in what the table is about (a salary or advance payment list)."""
    text = layout.text
    line = layout.line_of(start)
    cells = layout.cells.get(line)
    if cells:
        about = None
        for a, b, header in cells:
            pay = bool(header) and bool(SALARY.search(header))
            if not pay and header and AMOUNT_HEADER.match(header):
                if about is None:
                    about = bool(SALARY.search(layout.around_table(line)))
                pay = about
            if pay:
                m = AMOUNT.search(text, a, b)
                if m:
                    yield m.start(1), m.end(1), m.group(1)
        return
    k = SALARY.search(text, start, end)
    if k:
        m = AMOUNT.search(text, k.end(), end) or AMOUNT.search(text, start, end)
        if m:
            yield m.start(1), m.end(1), m.group(1)
