"""National personal codes, found by shape and proved by checksum and a birth date that can be real.

One run of digits may be valid under several countries' rules (an 11-digit number can check out as a
Lithuanian, Estonian, Polish, Latvian and Russian SNILS code at once), so the kind is chosen by what stands
before it or heads its column, then by how it is written, then by the language of the mail.

A number that checks out is still not a code when its context says it is something else: a company's
registration or VAT number, an invoice, order or document number, a telephone number.
"""
from __future__ import annotations

import re
from datetime import date

from stdnum.cz import rc as _rc
from stdnum.lt import asmens as _asmens
from stdnum.lv import pvn as _pvn
from stdnum.pl import pesel as _pesel
from stdnum.ro import cnp as _cnp
from stdnum.ru import inn as _inn

CANDIDATE = re.compile(
    r"(?<![\w+/\\@#=-])(?<!\d[.,])"
    r"(\d{6}[- ]\d{5}|\d{3}([- ])\d{3}\2\d{3}[ -]\d{2}|\d{6} ?/ ?\d{3,4}|\d{13}|\d{12}|\d{11}|\d{10})"
    r"(?![\w/\\@-]|[.,]\d)")
# Words that name the code (before it, or heading its column).
_NAMED = (
    ("lv-personas-kods", r"personas\s*kod|pers\.?\s*kod|p\.\s?k\.|persona[sl]? kods|personal code \(lv"),
    ("lt-asmens-kodas", r"asmens\s*kod|a\.\s?k\.|asm\.\s*kod"),
    ("ee-isikukood", r"isikukood|isikukoodi|\bik\b"),
    ("pl-pesel", r"pesel"),
    ("ro-cnp", r"\bcnp\b|cod numeric personal"),
    ("sk-rodne-cislo", r"rodn[ée]\s*č[ií]slo|rodne\s*cislo|\br\.?\s?č\.?(?!\w)|\brč\b|birth number"),
    ("ru-snils", r"снилс|страхов\w* номер|snils"),
    ("ru-inn", r"\bинн\b|\binn\b"),
)
_NAMED = tuple((kind, re.compile(rx, re.I)) for kind, rx in _NAMED)
# A number right after these is a company's, a document's or a telephone's.
_NOT_PERSONAL = re.compile(
    r"(reģ|reg|registr|pvn|vat|pvm|įmon|imon|uzņēmum|juridin|company|firm|cui|cif|nr\.?\s*reg|ičo|ico|dič|dic|"
    r"огрн|кпп|окпо|orgnr|nip|regon|krs|invoice|rēķin|rekin|sąskait|saskait|factur|faktúr|faktur|счет|счёт|"
    r"order|pasūt|užsak|comand|objedn|заказ|dokument|document|документ|akt|līgum|sutart|contract|contrac|zmluv|"
    r"договор|nr\.?|no\.|numurs|numeris|număr|číslo (?!rodn)|номер|№|#|id\b|tel|phone|mob|fax|факс|тел|"
    r"konts|account|účet|счёт|cont\b|licen|serial|key|ключ)\W{0,12}$",
    re.I)
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# How the language of the mail breaks a tie between equally valid readings.
_BY_LANGUAGE = {"lv": "lv-personas-kods", "lt": "lt-asmens-kodas", "ru": "ru-snils", "sk": "sk-rodne-cislo",
                "ro": "ro-cnp", "et": "ee-isikukood", "pl": "pl-pesel", "cs": "cz-rodne-cislo"}
_ORDER = ("lt-asmens-kodas", "lv-personas-kods", "ee-isikukood", "pl-pesel", "ru-snils")


def snils_valid(digits: str) -> bool:
    """Russian SNILS (not in python-stdnum): 9 digits and a mod-101 control number."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    body, control = digits[:9], int(digits[9:])
    if int(body) <= 1001998:  # the first numbers ever issued carry no control number
        return False
    total = sum(int(d) * w for d, w in zip(body, range(9, 0, -1)))
    expected = total if total < 100 else (0 if total in (100, 101) else total % 101 % 100)
    return control == expected


def _born(birth) -> bool:
    return date(1900, 1, 1) <= birth <= date.today()


def _check(validate, birth_date, digits) -> bool:
    try:
        validate(digits)
        return birth_date is None or _born(birth_date(digits))
    except Exception:
        return False


def readings(digits: str, shape: str) -> list[str]:
    """Every kind of personal code `digits` is valid as (shape: plain | lv | snils | rc)."""
    n = len(digits)
    if shape == "lv":
        return ["lv-personas-kods"] if _lv_personal(digits) else []
    if shape == "snils":
        return ["ru-snils"] if snils_valid(digits) else []
    if shape == "rc" or n == 10:
        kinds = ["sk-rodne-cislo"] if n == 10 and _check(_rc.validate, _rc.get_birth_date, digits) else []
        return kinds
    if n == 13:
        return ["ro-cnp"] if _check(_cnp.validate, _cnp.get_birth_date, digits) else []
    if n == 12:
        return ["ru-inn"] if _check(_inn.validate, None, digits) else []
    kinds = []
    if _check(_asmens.validate, _asmens.get_birth_date, digits):
        kinds.append("lt-asmens-kodas")  # Estonia uses the same rule
        kinds.append("ee-isikukood")
    if _lv_personal(digits):
        kinds.append("lv-personas-kods")
    if _check(_pesel.validate, _pesel.get_birth_date, digits):
        kinds.append("pl-pesel")
    if snils_valid(digits):
        kinds.append("ru-snils")
    return kinds


def _lv_personal(digits: str) -> bool:
    if digits[0] > "3":  # a company's registration number
        return False
    if digits.startswith("32"):  # issued since 2017, no birth date
        return _pvn.is_valid(digits)
    return _check(_pvn.validate, _pvn.get_birth_date, digits)


def _shape(token: str) -> str:
    if re.fullmatch(r"\d{6}[- ]\d{5}", token):
        return "lv"
    if re.fullmatch(r"\d{3}[- ]\d{3}[- ]\d{3}[- ]\d{2}", token):
        return "snils"
    if "/" in token:
        return "rc"
    return "plain"


def find(text: str, layout, language: str | None = None):
    """Yield (kind, start, end, value) for each personal code in text."""
    for m in CANDIDATE.finditer(text):
        token = m.group(1)
        digits = re.sub(r"\D", "", token)
        shape = _shape(token)
        kinds = readings(digits, shape)
        if not kinds:
            continue
        before = layout.before(m.start())
        named = [kind for kind, rx in _NAMED if rx.search(before)]
        if named:
            # Named as a code but valid only by another country's rule of the same shape: still a code.
            kind = _choose(named, kinds, language) or _choose([], kinds, language)
        else:
            if _NOT_PERSONAL.search(layout.text[max(0, m.start() - 40):m.start()]) or _company(digits, before):
                continue
            if set(kinds) <= {"ru-snils", "ru-inn"} and shape == "plain" and language != "ru" \
                    and not _CYRILLIC.search(layout.text):
                continue  # eleven or twelve plain digits pass these checks by chance one time in a hundred
            if shape == "plain" and len(digits) == 10 and not layout.in_table(m.start()) \
                    and not _after_a_name(layout, m.start()):
                continue  # ten digits alone are too often a telephone or an account: wanted named, tabled or
                # right after a person's name ("Ján Mikuláš (0004076270)")
            kind = _choose([], kinds, language)
        kind = _neighbour(kind, kinds, layout, m.start(), before)
        yield kind, m.start(1), m.end(1), token


# Two countries share each of these rules; what stands around the number tells them apart.
_TWINS = {"lt-asmens-kodas": "ee-isikukood", "ee-isikukood": "lt-asmens-kodas",
          "sk-rodne-cislo": "cz-rodne-cislo", "cz-rodne-cislo": "sk-rodne-cislo"}
_COUNTRY = {"ee-isikukood": (re.compile(r"\b(ee|eesti|estonia|igaunija|estija|эстони\w*)\b", re.I), "ee"),
            "cz-rodne-cislo": (re.compile(r"\b(cz|česk\w*|czech\w*|čehij\w*|čekij\w*|чехи\w*|praha|brno)\b", re.I), "cz"),
            "lt-asmens-kodas": (re.compile(r"\b(lt|lietuv\w*|lithuania\w*|литв\w*)\b", re.I), "lt"),
            "sk-rodne-cislo": (re.compile(r"\b(sk|slovensk\w*|slovakia|слова\w*)\b", re.I), "sk")}


def _neighbour(kind: str, kinds: list[str], layout, pos: int, before: str) -> str:
    """Lithuanian or Estonian, Slovak or Czech: by the country named before the number, else by the given
    names on its row (an Estonian name beside it makes it Estonian)."""
    twin = _TWINS.get(kind)
    if twin is None:
        return kind
    if twin not in kinds and not kind.endswith("rodne-cislo"):
        return kind
    for candidate in (kind, twin):
        if _COUNTRY[candidate][0].search(before):
            return candidate
    from mailbot.privacy.people import country_of_names
    a, b = layout.window(pos)
    countries = country_of_names(layout.text[a:b])
    mine, theirs = _COUNTRY[kind][1], _COUNTRY[twin][1]
    return twin if theirs in countries and mine not in countries else kind


def _after_a_name(layout, pos: int) -> bool:
    from mailbot.privacy.people import pairs
    start = max(layout.row(pos)[0], pos - 40)
    return any(True for _ in pairs(layout.text, start, pos, strict=True))


def _choose(named, kinds, language):
    for kind in named:
        if kind in kinds:
            return kind
    if named:
        return None
    preferred = _BY_LANGUAGE.get(language or "")
    if preferred in kinds:
        return preferred
    for kind in _ORDER:
        if kind in kinds:
            return kind
    return kinds[0]


def _company(digits: str, before: str) -> bool:
    """An 11-digit Latvian company number (first digit 4–9) in a company's context."""
    return len(digits) == 11 and digits[0] > "3" and _pvn.is_valid(digits) and bool(
        re.search(r"\b(sia|as|ik|biedrība|uab|ab|srl|sa|s\.r\.o\.|ооо|зао|pao|llc|ltd|gmbh)\b", before, re.I))
