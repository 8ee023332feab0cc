"""Telephone numbers and e-mail addresses of third parties; personal bank accounts.

phonenumbers with strict grouping finds telephone numbers without reading dates and invoice numbers as
such. A number or an address is somebody's personal data only when it is not the sender's own (their
signature), not one of ours or the client's registered contacts, and — for telephones and accounts — stands
with a person: on a row with a name or a code, or after words that say so.
"""
from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType
from stdnum import iban as _iban

from mailbot.base.regex import compile_fast

REGION = {"lv": "LV", "lt": "LT", "ro": "RO", "sk": "SK", "ru": "RU", "en": "LV"}
EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+@([\w-]+(?:\.[\w-]+)+))(?![\w-])")
# Mail services where an address is a private person's.
PRIVATE_DOMAINS = frozenset((
    "gmail.com googlemail.com yahoo.com yahoo.co.uk ymail.com hotmail.com outlook.com live.com msn.com "
    "icloud.com me.com aol.com gmx.com gmx.net gmx.de mail.com protonmail.com proton.me tutanota.com "
    "inbox.lv apollo.lv one.lv tvnet.lv navigator.lv gmail.lv inbox.lt one.lt takas.lt zebra.lt yahoo.ro "
    "gmail.ro mail.ro azet.sk centrum.sk zoznam.sk post.sk pobox.sk atlas.sk seznam.cz centrum.cz email.cz "
    "mail.ru inbox.ru list.ru bk.ru internet.ru yandex.ru ya.ru yandex.com rambler.ru narod.ru hot.ee "
    "online.ee mail.ee wp.pl o2.pl onet.pl interia.pl").split())
# Mail services with a domain in many countries (hotmail.fr, yahoo.de, live.co.uk): the name before the country's.
PRIVATE_BRANDS = frozenset("gmail googlemail yahoo ymail hotmail outlook live msn aol gmx icloud yandex protonmail "
                           "tutanota rambler".split())
# Lines that carry headers of quoted or forwarded mail: the correspondents, not data about third parties.
HEADER_LINE = re.compile(r"^[ \t>]*(from|to|cc|sender|reply-to|no|kam|nuo|kam|kopija|de la|către|catre|od|komu|"
                         r"kópia|от|кому|копия|sent|date|message-id|in-reply-to|references|return-path|"
                         r"delivered-to|x-original-to|envelope-to|original-recipient|final-recipient)\s*:", re.I | re.M)
# "On 22 Aug 2015, Adam <adam@gmail.com> wrote:" — who wrote the quoted mail, in any of the usual languages.
ATTRIBUTION = compile_fast(r"(wrote|schrieb|escribió|a écrit|scrive|rakstīja|rašė|parašė|a scris|napísal\w*|"
                         r"napsal\w*|написал\w*|пишет|skrev|schreef|kirjoitti)\s*:?\s*$", re.I)
PERSON_WORDS = compile_fast(
    r"(?<!\w)(darbinie|kolēģ|kolēg|mob|privāt|personīg|darbuotoj|kolego|asmenin|angajat|coleg|personal|zamestnan|"
    r"kolega|osobn|сотрудни|работни|коллег|личн|employee|colleague|private|his(?!\w)|her(?!\w)|jo(?!\w)|"
    r"jos(?!\w)|viņa|viņas|его(?!\w)|её(?!\w)|ее(?!\w))", re.I)
# Words that make a number or an account a private person's even among company details: an employee, a
# colleague, "private", "personal", "home" (PERSON_WORDS without the weak ones: "mob", "his", "her").
PRIVATE_WORDS = compile_fast(
    r"(?<!\w)(darbinie|darbuotoj|angajat|salariat|zamestnan|сотрудни|работни|employee|kolēģ|kolēg|kolego|kolega|"
    r"coleg|коллег|colleague|privāt|personīg|asmenin|personal(?![a-z])|private|súkromn|osobn|личн|домашн|"
    r"mājas(?!\w)|namų|acasă|home(?!\w))", re.I)
# A company named on a line: its legal form, a registration or VAT code's label, its bank's BIC. Accounts,
# telephones and people beside it are the company's: its account, its office, its officers and contacts.
COMPANY = re.compile(
    r"(?<![\w.])(?:SIA|AS|UAB|AB|SC|SRL|S\.R\.L\.|SA|IK|OÜ|Ltd|LLC|GmbH|Inc|s\. ?r\. ?o\.|a\.s\.|spol\.|"
    r"ООО|ОАО|ЗАО|ПАО|АО|ИП)(?![\w])"
    r"|(?i:(?<!\w)(?:reģ\.? ?nr|reģistrācijas|pvn ?(?:nr|reģ)|įm\.? ?kod|įmonės kod|pvm ?kod|cui|cif|nr\.? ?orc|ičo|"
    r"dič|ič ?dph|инн|кпп|огрн|vat ?(?:no|nr|number|id)|reg\.? ?(?:no|nr)|company code|bic|swift|бик)(?!\w))")
# "Write to me at ...": the sender's own address or number, given in the text.
FIRST_PERSON = compile_fast(r"(?<!\w)(me|my|man|mani|mans|mano|mane|mi|mă|mie|mňa|mne|mnou|мне|меня|мой|моя|mnie|"
                          r"mój)(?!\w)", re.I)
IBAN = re.compile(r"(?<![\w])([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?)(?![\w])")


_DATE = re.compile(r"\d{1,2} \d{1,2} (?:19|20)\d\d")
_GROUPED = re.compile(r"(?<![\w+.,/-])\+?\d{2,4}(?: \d{2,4}){1,4}(?![\w.,/-]?\d)")
# A number in international form is a telephone number even when the numbering plan does not know it.
INTERNATIONAL = re.compile(r"(?<![\w+])\+\d{1,3}[ \-]?(?:\(?\d{1,4}\)?[ \-]?){2,5}\d{2,4}(?![\w])")
_MOBILE = r"(?<!\w)(mob\.?|mobil\w*|mobile|cell\w*|моб\.?|мобильн\w*|сотов\w*|gsm)"
MOBILE_WORDS_ANY = compile_fast(_MOBILE, re.I)  # anywhere on a line
MOBILE_WORDS = compile_fast(_MOBILE + r"\W{0,5}$", re.I)  # right before a number


def phones(text: str, language: str | None):
    """(start, end, value, mobile) for each telephone number; mobile is None when the plan cannot say."""
    region = REGION.get(language or "", "LV")
    seen = []
    try:
        for m in PhoneNumberMatcher(text, region, leniency=Leniency.STRICT_GROUPING, max_tries=10000):
            kind = phonenumbers.number_type(m.number)
            mobile = kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE) or (
                True if MOBILE_WORDS.search(text, max(0, m.start - 12), m.start) else False)
            seen.append((m.start, m.end))
            yield m.start, m.end, m.raw_string, mobile
        # A mobile number grouped otherwise than the numbering plan says ("2912 5678" in Latvia, where the plan
        # says "29 125 678"): digits in groups and spaces only, so no date or document number is read as one.
        for m in _GROUPED.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in seen) or len(m.group()) < 9 or _DATE.fullmatch(m.group()):
                continue
            try:
                number = phonenumbers.parse(m.group(), region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) == PhoneNumberType.MOBILE:
                seen.append(m.span())
                yield m.start(), m.end(), m.group(), True
    except Exception:  # a pathological input must not stop the scan
        return
    for m in INTERNATIONAL.finditer(text):
        if not any(a < m.end() and m.start() < b for a, b in seen) and len(re.sub(r"\D", "", m.group())) >= 9:
            mobile = True if MOBILE_WORDS.search(text, max(0, m.start() - 12), m.start()) else None
            yield m.start(), m.end(), m.group(), mobile


def emails(text: str):
    for m in EMAIL.finditer(text):
        yield m.start(1), m.end(1), m.group(1), private_domain(m.group(2).lower())


def private_domain(domain: str) -> bool:
    """A mail service's domain, where an address is a private person's (not a company's work address)."""
    if domain in PRIVATE_DOMAINS:
        return True
    labels = domain.split(".")
    if len(labels) > 2 and labels[-2] in ("co", "com", "net", "org"):
        labels = labels[:-1]  # yahoo.co.uk
    return len(labels) >= 2 and labels[-2] in PRIVATE_BRANDS


def ibans(text: str):
    for m in IBAN.finditer(text):
        if _iban.is_valid(m.group(1)):
            yield m.start(1), m.end(1), m.group(1)


def on_header_line(text: str, pos: int) -> bool:
    """A quoted or forwarded mail's header line or attribution: its correspondents, not data about others."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start:end if end >= 0 else len(text)]
    return bool(HEADER_LINE.match(line)) or bool(ATTRIBUTION.search(line))
