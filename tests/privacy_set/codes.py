"""Generators of national identification numbers for the personal-data test set.

Every generator takes a ``random.Random`` and returns the *compact* form (digits only, or the IBAN/VAT
string without spaces); ``fmt`` writes a compact code the way people write it (with or without the
country's separators), ``broken`` returns a same-shape variant whose check digit is wrong.

Personal codes (kind names as used in labels.json):
    lt-asmens-kodas   Lithuania asmens kodas, 11 digits GYYMMDDNNNC          (stdnum.lt.asmens)
    lv-personas-kods  Latvia personas kods, DDMMYY-CNNNK or 32xxxx-xxxxx     (stdnum.lv.pvn)
    ro-cnp            Romania CNP, 13 digits SYYMMDDJJNNNC                    (stdnum.ro.cnp)
    sk-rodne-cislo    Slovakia rodné číslo, YYMMDD/SSSC, mod 11               (stdnum.sk.rc)
    cz-rodne-cislo    Czechia rodné číslo, same scheme                        (stdnum.cz.rc)
    ee-isikukood      Estonia isikukood, 11 digits GYYMMDDNNNC                (stdnum.ee.ik)
    pl-pesel          Poland PESEL, 11 digits                                 (stdnum.pl.pesel)
    ru-snils          Russia SNILS, 123-456-789 01                            (own check, not in stdnum)
    ru-inn            Russia personal INN, 12 digits                          (stdnum.ru.inn)

Company identifiers (must NOT be flagged): LV registration number / VAT, LT įmonės kodas / PVM code,
RO CUI / VAT, SK IČO / DIČ / IČ DPH, RU company INN / KPP / OGRN, EE registrikood, PL NIP.
"""
from __future__ import annotations

import datetime
import random
import re

from stdnum import iban as std_iban
from stdnum.cz import dic as cz_dic
from stdnum.cz import rc as cz_rc
from stdnum.ee import ik as ee_ik
from stdnum.ee import registrikood as ee_reg
from stdnum.lt import asmens as lt_asmens
from stdnum.lt import pvm as lt_pvm
from stdnum.lv import pvn as lv_pvn
from stdnum.pl import nip as pl_nip
from stdnum.pl import pesel as pl_pesel
from stdnum.ro import cnp as ro_cnp
from stdnum.ro import cui as ro_cui
from stdnum.ru import inn as ru_inn
from stdnum.ru import ogrn as _ogrn
from stdnum.sk import dph as sk_dph
from stdnum.sk import rc as sk_rc

PERSONAL_KINDS = ("lt-asmens-kodas", "lv-personas-kods", "ro-cnp", "sk-rodne-cislo", "cz-rodne-cislo",
                  "ee-isikukood", "pl-pesel", "ru-snils", "ru-inn")


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def birth_date(rng: random.Random, first: int = 1958, last: int = 2005) -> datetime.date:
    lo = datetime.date(first, 1, 1).toordinal()
    hi = datetime.date(last, 12, 31).toordinal()
    return datetime.date.fromordinal(rng.randint(lo, hi))


def _sex(rng: random.Random, sex: str | None) -> str:
    return sex if sex in ("M", "F") else rng.choice("MF")


# --------------------------------------------------------------------------- Lithuania / Estonia
def _baltic_11(rng: random.Random, sex: str | None, born: datetime.date | None) -> str:
    """GYYMMDDNNNC: the LT asmens kodas and the EE isikukood share structure and check digit."""
    born = born or birth_date(rng)
    sex = _sex(rng, sex)
    g = {1800: 1, 1900: 3, 2000: 5}[born.year // 100 * 100] + (1 if sex == "F" else 0)
    body = f"{g}{born:%y%m%d}{rng.randint(0, 999):03d}"
    return body + ee_ik.calc_check_digit(body + "0")


def lt_asmens_kodas(rng: random.Random, sex: str | None = None, born: datetime.date | None = None) -> str:
    code = _baltic_11(rng, sex, born)
    assert lt_asmens.is_valid(code), code
    return code


def ee_isikukood(rng: random.Random, sex: str | None = None, born: datetime.date | None = None) -> str:
    code = _baltic_11(rng, sex, born)
    assert ee_ik.is_valid(code), code
    return code


# --------------------------------------------------------------------------- Latvia
def lv_check_digit(first10: str) -> str:
    """check = (1101 - sum(d_i * w_i)) % 11 % 10 with weights 1,6,3,7,9,10,5,8,4,2 (same as stdnum's form)."""
    weights = (1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return str((1101 - sum(w * int(d) for w, d in zip(weights, first10))) % 11 % 10)


def lv_personas_kods(rng: random.Random, born: datetime.date | None = None, new: bool = False) -> str:
    """Old form DDMMYY-CNNNK (C: 0 = 1800s, 1 = 1900s, 2 = 2000s) or, with new=True, the 2017+ form 32xxxx-xxxxx."""
    if new:
        body = "32" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    else:
        born = born or birth_date(rng)
        body = f"{born:%d%m%y}{born.year // 100 - 18}{rng.randint(0, 999):03d}"
    code = body + lv_check_digit(body)
    assert lv_pvn.calc_check_digit_pers(body) == code[-1]
    assert lv_pvn.is_valid(code), code
    return code


# --------------------------------------------------------------------------- Romania
RO_COUNTIES = [f"{i:02d}" for i in range(1, 47)] + ["51", "52"]


def ro_cnp_code(rng: random.Random, sex: str | None = None, born: datetime.date | None = None) -> str:
    born = born or birth_date(rng)
    sex = _sex(rng, sex)
    s = (1 if born.year < 2000 else 5) + (1 if sex == "F" else 0)
    body = f"{s}{born:%y%m%d}{rng.choice(RO_COUNTIES)}{rng.randint(1, 999):03d}"
    code = body + ro_cnp.calc_check_digit(body)
    assert ro_cnp.is_valid(code), code
    return code


# --------------------------------------------------------------------------- Czechia / Slovakia
def _rodne_cislo(rng: random.Random, sex: str | None, born: datetime.date | None) -> str:
    born = born or birth_date(rng, 1958, 2003)
    sex = _sex(rng, sex)
    month = born.month + (50 if sex == "F" else 0)
    while True:
        first9 = f"{born:%y}{month:02d}{born:%d}{rng.randint(0, 999):03d}"
        rem = int(first9) % 11
        if rem != 10:  # numbers whose remainder is 10 were avoided after 1985; do not produce them
            return first9 + str(rem)


def sk_rodne_cislo(rng: random.Random, sex: str | None = None, born: datetime.date | None = None) -> str:
    code = _rodne_cislo(rng, sex, born)
    assert sk_rc.is_valid(code) and int(code) % 11 == 0, code
    return code


def cz_rodne_cislo(rng: random.Random, sex: str | None = None, born: datetime.date | None = None) -> str:
    code = _rodne_cislo(rng, sex, born)
    assert cz_rc.is_valid(code) and int(code) % 11 == 0, code
    return code


# --------------------------------------------------------------------------- Poland
def pl_pesel_code(rng: random.Random, sex: str | None = None, born: datetime.date | None = None) -> str:
    born = born or birth_date(rng)
    sex = _sex(rng, sex)
    month = born.month + (20 if born.year >= 2000 else 0)
    serial = rng.randint(0, 999)
    sexdigit = rng.choice("13579" if sex == "M" else "02468")
    body = f"{born:%y}{month:02d}{born:%d}{serial:03d}{sexdigit}"
    code = body + pl_pesel.calc_check_digit(body)
    assert pl_pesel.is_valid(code), code
    return code


# --------------------------------------------------------------------------- Russia
def snils_control(first9: str) -> str:
    """SNILS control number: sum(d_i * (9 - i)) over the first 9 digits (weights 9..1);
    < 100 -> the sum, 100 or 101 -> 00, otherwise sum mod 101 (and 100 -> 00)."""
    total = sum(int(d) * (9 - i) for i, d in enumerate(first9))
    if total < 100:
        return f"{total:02d}"
    if total in (100, 101):
        return "00"
    rest = total % 101
    return "00" if rest == 100 else f"{rest:02d}"


def snils_is_valid(number: str) -> bool:
    digits = _digits(number)
    if len(digits) != 11 or re.sub(r"[\d\- ]", "", number):
        return False
    if int(digits[:9]) <= 1001998:  # numbers up to 001-001-998 carry no control number
        return False
    return snils_control(digits[:9]) == digits[9:]


def ru_snils(rng: random.Random) -> str:
    first9 = f"{rng.randint(10_000_000, 199_999_999):09d}"
    code = first9 + snils_control(first9)
    assert snils_is_valid(code), code
    return code


RU_REGIONS = ["77", "78", "50", "66", "54", "16", "52", "61", "63", "74", "02", "23", "24", "59", "36", "39", "47"]


def ru_inn_personal(rng: random.Random) -> str:
    body = rng.choice(RU_REGIONS) + f"{rng.randint(1, 99):02d}" + f"{rng.randint(0, 999999):06d}"
    code = body + ru_inn.calc_personal_check_digits(body)
    assert ru_inn.is_valid(code) and len(code) == 12, code
    return code


# --------------------------------------------------------------------------- validation, formatting, broken
def is_valid(kind: str, value: str) -> bool:
    """Validate a personal code of the given kind as written (separators allowed)."""
    compact = _digits(value)
    if kind == "lt-asmens-kodas":
        return len(compact) == 11 and lt_asmens.is_valid(compact)
    if kind == "lv-personas-kods":
        return len(compact) == 11 and compact[0] <= "3" and lv_pvn.is_valid(compact)
    if kind == "ro-cnp":
        return len(compact) == 13 and ro_cnp.is_valid(compact)
    if kind == "sk-rodne-cislo":
        return len(compact) == 10 and sk_rc.is_valid(compact)
    if kind == "cz-rodne-cislo":
        return len(compact) == 10 and cz_rc.is_valid(compact)
    if kind == "ee-isikukood":
        return len(compact) == 11 and ee_ik.is_valid(compact)
    if kind == "pl-pesel":
        return len(compact) == 11 and pl_pesel.is_valid(compact)
    if kind == "ru-snils":
        return snils_is_valid(value)
    if kind == "ru-inn":
        return len(compact) == 12 and ru_inn.is_valid(compact)
    if kind == "iban":
        return std_iban.is_valid(value)
    raise KeyError(kind)


def fmt(kind: str, code: str, sep: bool = True) -> str:
    """Write a compact code as people write it; sep=False keeps it compact."""
    if not sep:
        return code
    if kind == "lv-personas-kods":
        return f"{code[:6]}-{code[6:]}"
    if kind in ("sk-rodne-cislo", "cz-rodne-cislo"):
        return f"{code[:6]}/{code[6:]}"
    if kind == "ru-snils":
        return f"{code[:3]}-{code[3:6]}-{code[6:9]} {code[9:]}"
    if kind == "iban":
        return std_iban.format(code)
    return code  # LT, EE, PL, RO, RU INN have no separators


def has_separator_form(kind: str) -> bool:
    return kind in ("lv-personas-kods", "sk-rodne-cislo", "cz-rodne-cislo", "ru-snils", "iban")


def broken(kind: str, value: str, rng: random.Random) -> str:
    """Same shape as ``value`` (separators kept), but a wrong check digit."""
    positions = [i for i, ch in enumerate(value) if ch.isdigit()]
    last = positions[-1]
    choices = [d for d in "0123456789" if d != value[last]]
    rng.shuffle(choices)
    for d in choices:
        out = value[:last] + d + value[last + 1:]
        if not is_valid(kind, out):
            return out
    raise ValueError(f"cannot break {kind} {value}")


GENERATORS = {
    "lt-asmens-kodas": lambda rng, sex=None, born=None: lt_asmens_kodas(rng, sex, born),
    "lv-personas-kods": lambda rng, sex=None, born=None: lv_personas_kods(rng, born),
    "ro-cnp": lambda rng, sex=None, born=None: ro_cnp_code(rng, sex, born),
    "sk-rodne-cislo": lambda rng, sex=None, born=None: sk_rodne_cislo(rng, sex, born),
    "cz-rodne-cislo": lambda rng, sex=None, born=None: cz_rodne_cislo(rng, sex, born),
    "ee-isikukood": lambda rng, sex=None, born=None: ee_isikukood(rng, sex, born),
    "pl-pesel": lambda rng, sex=None, born=None: pl_pesel_code(rng, sex, born),
    "ru-snils": lambda rng, sex=None, born=None: ru_snils(rng),
    "ru-inn": lambda rng, sex=None, born=None: ru_inn_personal(rng),
}


def personal_code(kind: str, rng: random.Random, sex: str | None = None,
                  born: datetime.date | None = None) -> str:
    return GENERATORS[kind](rng, sex, born)


# --------------------------------------------------------------------------- IBAN
_BANKS = {
    "LV": ["HABA", "UNLA", "RIKO", "NDEA", "PARX", "LATB", "BATR"],
    "LT": ["73000", "70440", "40100", "72900", "71800", "21400"],
    "RO": ["BTRL", "RNCB", "BRDE", "INGB", "RZBR", "BACX"],
    "SK": ["0900", "1100", "0200", "7500", "5600", "8330"],
    "EE": ["22", "10", "17", "77", "42"],
}


def _sk_account(rng: random.Random) -> str:
    """10-digit Slovak/Czech account number with its weighted mod 11 check (weights 6,3,7,9,10,5,8,4,2,1)."""
    weights = (6, 3, 7, 9, 10, 5, 8, 4, 2, 1)
    while True:
        acc = f"{rng.randint(10_000_000, 4_999_999_999):010d}"
        partial = sum(w * int(d) for w, d in zip(weights[:9], acc[:9]))
        last = (-partial) % 11
        if last < 10:
            acc = acc[:9] + str(last)
            assert sum(w * int(d) for w, d in zip(weights, acc)) % 11 == 0
            return acc


def _ee_account(rng: random.Random) -> str:
    """14-digit Estonian account number (zero-padded) with its 7-3-1 check digit."""
    body = f"{rng.randint(10**9, 10**12 - 1):013d}"
    weights = (7, 3, 1)
    total = sum(int(d) * weights[i % 3] for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def iban(rng: random.Random, cc: str) -> str:
    bank = rng.choice(_BANKS[cc])
    if cc == "LV":
        bban = bank + f"{rng.randint(0, 10**13 - 1):013d}"
    elif cc == "LT":
        bban = bank + f"{rng.randint(0, 10**11 - 1):011d}"
    elif cc == "RO":
        tail = {"BTRL": "RONCRT0" + f"{rng.randint(0, 10**9 - 1):09d}",
                "RNCB": f"{rng.randint(0, 9999):04d}" + f"{rng.randint(0, 10**12 - 1):012d}",
                "BRDE": f"{rng.randint(100, 999)}SV" + f"{rng.randint(0, 10**11 - 1):011d}"}.get(
            bank, f"{rng.randint(0, 10**16 - 1):016d}")
        bban = bank + tail
    elif cc == "SK":
        bban = bank + "000000" + _sk_account(rng)
    elif cc == "EE":
        bban = bank + _ee_account(rng)
    else:
        raise KeyError(cc)
    code = cc + std_iban.calc_check_digits(cc + "00" + bban) + bban
    assert std_iban.is_valid(code), code
    return code


# --------------------------------------------------------------------------- company identifiers
def lv_company(rng: random.Random) -> str:
    """LV registration number (e.g. 40003xxxxxx): weights 9,1,4,8,3,10,2,5,7,6,1, sum % 11 == 3.
    Numbers that would also pass a personal-code check (e.g. SNILS) are skipped."""
    while True:
        body = rng.choice(["40003", "40103", "40203", "42103", "44103", "50003"]) + f"{rng.randint(0, 99999):05d}"
        partial = sum(w * int(d) for w, d in zip((9, 1, 4, 8, 3, 10, 2, 5, 7, 6), body))
        last = (3 - partial) % 11
        if last < 10:
            code = body + str(last)
            assert lv_pvn.is_valid(code) and code[0] > "3", code
            if not scan(" " + code + " "):
                return code


def lv_vat(rng: random.Random, company: str | None = None) -> str:
    return "LV" + (company or lv_company(rng))


def lt_company(rng: random.Random) -> str:
    """LT įmonės kodas, 9 digits; the check digit is computed like the PVM/asmens kodas one."""
    body = rng.choice(["110", "111", "120", "121", "123", "125", "300", "302", "303", "304", "305", "306"])
    body += f"{rng.randint(0, 99999):05d}"
    return body + lt_pvm.calc_check_digit(body)


def lt_vat(rng: random.Random) -> str:
    """LT PVM mokėtojo kodas: 9 digits with 8th digit 1, or 12 digits with 11th digit 1."""
    if rng.random() < 0.5:
        body = f"{rng.randint(100000, 999999)}" + str(rng.randint(0, 9)) + "1"
    else:
        body = "1000" + f"{rng.randint(0, 999999):06d}" + "1"
    code = body + lt_pvm.calc_check_digit(body)
    assert lt_pvm.is_valid(code), code
    return "LT" + code


def ro_cui_code(rng: random.Random) -> str:
    body = str(rng.randint(1_000_000, 4_999_999))
    code = body + ro_cui.calc_check_digit(body)
    assert ro_cui.is_valid(code), code
    return code


def ro_vat(rng: random.Random, cui: str | None = None) -> str:
    return "RO" + (cui or ro_cui_code(rng))


def sk_ico(rng: random.Random) -> str:
    body = rng.choice(["3", "4", "5"]) + f"{rng.randint(0, 999999):06d}"
    code = body + cz_dic.calc_check_digit_legal(body)
    assert cz_dic.is_valid(code) and len(code) == 8, code
    return code


def sk_dic(rng: random.Random) -> str:
    """SK DIČ of a legal person: 10 digits '2020......', divisible by 11 (month 20 -> never a valid rodné číslo)."""
    while True:
        body = "2020" + f"{rng.randint(0, 99999):05d}"
        last = (-int(body) * 10) % 11
        if last < 10:
            code = body + str(last)
            assert sk_dph.is_valid(code) and not sk_rc.is_valid(code), code
            return code


def sk_vat(rng: random.Random, dic: str | None = None) -> str:
    return "SK" + (dic or sk_dic(rng))


def ru_inn_company(rng: random.Random) -> str:
    while True:
        body = rng.choice(RU_REGIONS) + f"{rng.randint(1, 99):02d}" + f"{rng.randint(0, 99999):05d}"
        code = body + ru_inn.calc_company_check_digit(body)
        if not scan(" " + code + " "):  # a 10-digit INN must not also read as a rodné číslo
            assert ru_inn.is_valid(code)
            return code


def ru_kpp(rng: random.Random, inn: str) -> str:
    return inn[:4] + rng.choice(["01", "43", "45"]) + "001"


def ru_ogrn(rng: random.Random, inn: str | None = None) -> str:
    while True:
        region = inn[:2] if inn else rng.choice(RU_REGIONS)
        body = rng.choice("15") + f"{rng.randint(2, 26):02d}" + region + f"{rng.randint(0, 9999999):07d}"
        code = body + _ogrn.calc_check_digit(body + "0")
        if _ogrn.is_valid(code) and not scan(" " + code + " "):
            return code


def ee_registrikood(rng: random.Random) -> str:
    body = "1" + f"{rng.randint(0, 999999):06d}"
    code = body + ee_reg.calc_check_digit(body + "0")
    assert ee_reg.is_valid(code), code
    return code


def pl_nip_code(rng: random.Random) -> str:
    while True:
        body = f"{rng.randint(100, 999)}" + f"{rng.randint(0, 999999):06d}"
        for d in "0123456789":
            if pl_nip.is_valid(body + d) and not scan(" " + body + d + " "):
                return body + d


COMPANY_VALIDATORS = {
    "lv-company": lambda v: lv_pvn.is_valid(_digits(v)) and _digits(v)[0] > "3",
    "lt-company": lambda v: len(_digits(v)) == 9 and lt_pvm.calc_check_digit(_digits(v)[:-1]) == _digits(v)[-1],
    "lt-vat": lambda v: lt_pvm.is_valid(v),
    "ro-cui": lambda v: ro_cui.is_valid(v),
    "sk-ico": lambda v: len(_digits(v)) == 8 and cz_dic.is_valid(_digits(v)),
    "sk-vat": lambda v: sk_dph.is_valid(v),
    "ru-inn-company": lambda v: len(_digits(v)) == 10 and ru_inn.is_valid(_digits(v)),
    "ru-ogrn": lambda v: _ogrn.is_valid(v),
    "ee-registrikood": lambda v: ee_reg.is_valid(v),
    "pl-nip": lambda v: pl_nip.is_valid(v),
}


# --------------------------------------------------------------------------- scanner
_PRE = r"(?<!\w)(?<!\d[.,/])"   # not glued to letters/digits, not the tail of 12,34 or 2026/...
_POST = r"(?!\w)(?![.,/]\d)"
_SCAN = [
    # (regex, kinds to try on the digits)
    (re.compile(_PRE + r"(\d{6})[-\u2010\u2011]?(\d{5})" + _POST),
     ("lv-personas-kods", "lt-asmens-kodas", "ee-isikukood", "pl-pesel", "ru-snils")),
    (re.compile(_PRE + r"(\d{3})[- ](\d{3})[- ](\d{3})[- ](\d{2})" + _POST), ("ru-snils",)),
    (re.compile(_PRE + r"(\d{13})" + _POST), ("ro-cnp",)),
    (re.compile(_PRE + r"(\d{6}) ?/ ?(\d{3,4})" + _POST), ("sk-rodne-cislo", "cz-rodne-cislo")),
    (re.compile(_PRE + r"(\d{10})" + _POST), ("sk-rodne-cislo", "cz-rodne-cislo")),
    (re.compile(_PRE + r"(\d{12})" + _POST), ("ru-inn",)),
]


def scan(text: str) -> list[tuple[str, frozenset[str]]]:
    """Every code-shaped number in ``text`` that validates as a personal code: (digits, kinds it validates as)."""
    hits = []
    seen = set()
    for rx, kinds in _SCAN:
        for m in rx.finditer(text):
            digits = "".join(m.groups())
            ok = frozenset(k for k in kinds if (snils_is_valid(digits) if k == "ru-snils" else is_valid(k, digits)))
            if len(digits) == 9:  # 9-digit (pre-1954) rodné číslo only with its slash
                ok = frozenset(k for k in kinds if cz_rc.is_valid(digits))
            if ok and (digits, m.start()) not in seen:
                seen.add((digits, m.start()))
                hits.append((digits, ok))
    return hits
