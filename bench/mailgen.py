"""A deterministic corpus of support mail for the ingest benchmark.

Every message is built by hand (headers, MIME structure, transfer encodings) from a seeded random.Random, so
the same seed always gives the same bytes. The mix: Latvian, Lithuanian, Romanian, Slovak, Russian and English
text in the charsets those mailers really use (utf-8, windows-1257, iso-8859-13, iso-8859-2, windows-1250,
windows-1251, koi8-r, us-ascii), quoted-printable / base64 / 8bit bodies, RFC 2047 headers, plain text,
multipart/alternative and HTML-only mail, PDF- and XLSX-like attachments of 20-200 KB, and replies that thread
either by In-Reply-To/References or by a "[#N]" ticket reference in the subject (N is filled in at send time
from the 250 reply to the message it answers; see Mail.materialize).
"""
from __future__ import annotations

import base64
import quopri
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime, formataddr
from urllib.parse import quote

TICKET_PLACEHOLDER = b"@@TICKET@@"

MAILBOXES = ("help@example.com", "iebildumi@example.com")

# id, name, language, domain, plan -- mirrored in the generated config.yaml (see ingest.write_config)
CLIENTS = (
    ("acme", "SIA Acme", "lv", "acme.lv", "moneo-fast-4h"),
    ("vilnius-apskaita", "UAB Vilniaus apskaita", "lt", "apskaita.lt", "standard"),
    ("contabil", "SC Contabil Expert SRL", "ro", "contabil-expert.ro", "standard"),
    ("uctovnictvo", "Účtovníctvo s.r.o.", "sk", "uctovnictvo.sk", "standard"),
    ("buhgalteria", "ООО Бухгалтерия Плюс", "ru", "buhgalteria-plus.ru", "krizhik"),
    ("northwind", "Northwind Ltd", "en", "northwind.co.uk", "standard"),
)
# a client contact on a free-mail domain (matched by `contacts:`, not by domain)
CLIENT_CONTACTS = {"acme": ("gramatvede@gmail.com",)}
UNKNOWN_DOMAINS = ("gmail.com", "inbox.lv", "mail.ru", "yahoo.com", "outlook.com", "zoho.eu", "centrum.sk",
                   "one.lt", "yandex.ru")

CHARSETS = {  # (charset, weight)
    "lv": (("utf-8", 6), ("windows-1257", 3), ("iso-8859-13", 1)),
    "lt": (("utf-8", 6), ("windows-1257", 3), ("iso-8859-13", 1)),
    "ro": (("utf-8", 6), ("iso-8859-2", 2), ("windows-1250", 2)),
    "sk": (("utf-8", 6), ("iso-8859-2", 2), ("windows-1250", 2)),
    "ru": (("utf-8", 5), ("windows-1251", 3), ("koi8-r", 2)),
    "en": (("utf-8", 5), ("us-ascii", 5)),
}

NAMES = {
    "lv": (("Ilze", "Kalniņa"), ("Jānis", "Bērziņš"), ("Līga", "Ozoliņa"), ("Andris", "Krūmiņš"),
           ("Dace", "Liepiņa"), ("Mārtiņš", "Zariņš"), ("Inese", "Vītola"), ("Edgars", "Šmits")),
    "lt": (("Rūta", "Kazlauskienė"), ("Tomas", "Petrauskas"), ("Jurgita", "Žukauskaitė"),
           ("Mindaugas", "Jankauskas"), ("Aušra", "Stankevičienė"), ("Darius", "Vasiliauskas")),
    "ro": (("Ioana", "Popescu"), ("Andrei", "Ionescu"), ("Mihaela", "Dumitrescu"), ("Ştefan", "Constantin"),
           ("Elena", "Stănescu"), ("Radu", "Georgescu")),
    "sk": (("Zuzana", "Horváthová"), ("Peter", "Kováč"), ("Mária", "Vargová"), ("Ján", "Tóth"),
           ("Lucia", "Nagyová"), ("Martin", "Baláž")),
    "ru": (("Ольга", "Иванова"), ("Дмитрий", "Смирнов"), ("Елена", "Кузнецова"), ("Алексей", "Попов"),
           ("Наталья", "Соколова"), ("Сергей", "Лебедев")),
    "en": (("Sarah", "Johnson"), ("Michael", "Brown"), ("Emma", "Wilson"), ("James", "Taylor"),
           ("Olivia", "Davies"), ("George", "Evans")),
}
TRANSLIT = str.maketrans({
    "ā": "a", "č": "c", "ē": "e", "ģ": "g", "ī": "i", "ķ": "k", "ļ": "l", "ņ": "n", "š": "s", "ū": "u", "ž": "z",
    "ą": "a", "ę": "e", "ė": "e", "į": "i", "ų": "u", "ă": "a", "â": "a", "î": "i", "ş": "s", "ţ": "t", "ș": "s",
    "ț": "t", "á": "a", "ä": "a", "é": "e", "í": "i", "ó": "o", "ô": "o", "ú": "u", "ý": "y", "ľ": "l", "ĺ": "l",
    "ŕ": "r", "ň": "n", "ď": "d", "ť": "t", "Ş": "S", "Ž": "Z", "Š": "S",
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ы": "y", "э": "e", "ю": "yu", "я": "ya", "ь": "", "ъ": "",
})


def _local(text: str) -> str:
    return "".join(c for c in text.lower().translate(TRANSLIT) if c.isascii() and (c.isalnum() or c in "._-"))

SUBJECTS = {
    "lv": ("Problēma ar rēķinu izrakstīšanu", "Neizdodas izdrukāt PVN deklarāciju", "Piekļuve grāmatvedes kontam",
           "Algu aprēķinā kļūda — IIN", "Jautājums par līgumu Nr. {n}", "Atskaite VID nav nosūtīta",
           "Lūdzu pārbaudīt avansa norēķinu", "Kļūda importējot bankas izrakstu"),
    "lt": ("Nepavyksta prisijungti prie sistemos", "Sąskaitų faktūrų numeracija", "PVM deklaracija už {m}",
           "Darbo užmokesčio žiniaraštis — klaida", "Klausimas dėl sutarties Nr. {n}", "i.SAF failas neįkeliamas"),
    "ro": ("Problemă la emiterea facturii", "Calcul TVA greşit pentru luna {m}", "Eroare la statul de plată",
           "Întrebare despre contractul nr. {n}", "Declaraţia 112 nu se generează", "e-Factura: mesaj de eroare"),
    "sk": ("Problém s faktúrou č. {n}", "Výpočet DPH za {m}", "Chyba v mzdách — odvody",
           "Žiadosť o prístup pre novú účtovníčku", "Kontrolný výkaz sa neodošle", "Import bankového výpisu zlyhá"),
    "ru": ("Не получается войти в систему", "Ошибка в расчёте НДС за {m}", "Вопрос по счёту Nr. {n}",
           "Неверно считаются отпускные", "Не формируется отчёт для СГД", "Просьба сбросить пароль"),
    "en": ("Cannot export invoices to PDF", "VAT return for {m} looks wrong", "Payroll: holiday pay miscalculated",
           "Question about contract no. {n}", "New user account for our accountant", "Bank statement import fails"),
}
MONTHS = {"lv": ("janvāri", "februāri", "martu"), "lt": ("sausį", "vasarį", "kovą"), "ro": ("ianuarie", "februarie"),
          "sk": ("január", "február", "marec"), "ru": ("январь", "февраль", "март"), "en": ("January", "February")}
GREETING = {"lv": "Labdien!", "lt": "Laba diena,", "ro": "Bună ziua,", "sk": "Dobrý deň,", "ru": "Здравствуйте!",
            "en": "Hello,"}
CLOSING = {"lv": "Ar cieņu,", "lt": "Pagarbiai,", "ro": "Cu stimă,", "sk": "S pozdravom,", "ru": "С уважением,",
           "en": "Best regards,"}
SENTENCES = {
    "lv": ("Pēc pēdējā atjauninājuma programma vairs neļauj izrakstīt rēķinus ar PVN 21 %.",
           "Grāmatvedība mēneša slēgšanu jāpabeidz līdz piektdienai, tāpēc lūdzu palīdzēt pēc iespējas ātrāk.",
           "Kļūdas paziņojums: „Nav iespējams saglabāt dokumentu — dublēts numurs”.",
           "Algu aprēķinā iedzīvotāju ienākuma nodoklis tiek rēķināts no nepareizas bāzes.",
           "Vakar viss strādāja, šodien pēc pārstartēšanas datorā parādās tukšs logs.",
           "Lūdzu, atjaunojiet piekļuvi mūsu jaunajai grāmatvedei, viņas lietotājvārds ir bloķēts.",
           "Pielikumā nosūtu ekrānuzņēmumu un eksportēto atskaiti Excel formātā.",
           "Vai ir iespējams mainīt rēķina numerācijas sākumu no nākamā mēneša?"),
    "lt": ("Po paskutinio atnaujinimo sistema nebeleidžia išrašyti sąskaitų faktūrų su 21 % PVM.",
           "Mėnesio uždarymą turime baigti iki penktadienio, todėl prašome padėti kuo greičiau.",
           "Klaidos pranešimas: „Nepavyko išsaugoti dokumento — dubliuotas numeris“.",
           "Darbo užmokesčio žiniaraštyje neteisingai apskaičiuojami atostoginiai.",
           "Vakar viskas veikė, o šiandien po kompiuterio perkrovimo rodomas tuščias langas.",
           "Prašome atkurti prieigą mūsų naujai buhalterei, jos paskyra užblokuota.",
           "Pridedu ekrano nuotrauką ir eksportuotą ataskaitą Excel formatu."),
    "ro": ("După ultima actualizare programul nu mai permite emiterea facturilor cu TVA 19 %.",
           "Trebuie să închidem luna până vineri, vă rugăm să ne ajutaţi cât mai repede.",
           "Mesajul de eroare: „Documentul nu poate fi salvat — număr duplicat”.",
           "Statul de plată afişează greşit contribuţiile la sănătate.",
           "Ieri totul a funcţionat, astăzi după repornire apare o fereastră goală.",
           "Vă rog să reactivaţi accesul pentru noua noastră contabilă, contul ei este blocat.",
           "Am ataşat o captură de ecran şi raportul exportat în format Excel."),
    "sk": ("Po poslednej aktualizácii program neumožňuje vystaviť faktúru s DPH 20 %.",
           "Uzávierku mesiaca musíme dokončiť do piatku, preto prosím o čo najrýchlejšiu pomoc.",
           "Chybové hlásenie: „Dokument nie je možné uložiť — duplicitné číslo“.",
           "Vo mzdovom liste sa nesprávne zobrazujú odvody do Sociálnej poisťovne.",
           "Včera všetko fungovalo, dnes sa po reštarte zobrazí prázdne okno.",
           "Prosím o obnovenie prístupu pre našu novú účtovníčku, jej účet je zablokovaný.",
           "V prílohe posielam snímku obrazovky a exportovaný výkaz vo formáte Excel."),
    "ru": ("После последнего обновления программа не позволяет выписать счёт с НДС 20 %.",
           "Закрыть месяц нужно до пятницы, поэтому просим помочь как можно быстрее.",
           "Сообщение об ошибке: «Невозможно сохранить документ — дублирующийся номер».",
           "В расчётной ведомости неправильно считаются отпускные.",
           "Вчера всё работало, а сегодня после перезагрузки появляется пустое окно.",
           "Просим восстановить доступ для нашего нового бухгалтера, её учётная запись заблокирована.",
           "Во вложении отправляю скриншот и выгруженный отчёт в формате Excel."),
    "en": ("Since the last update the program no longer lets us issue invoices with 21% VAT.",
           "We have to close the month by Friday, so we would appreciate a quick answer.",
           "The error message says: \"Document cannot be saved - duplicate number\".",
           "The payroll report calculates holiday pay from the wrong base.",
           "Yesterday everything worked; today after a restart we only get an empty window.",
           "Please restore access for our new accountant, her account has been locked.",
           "Please find attached a screenshot and the exported report in Excel format."),
}
REPLY_PREFIX = {"lv": ("Atb.: ", "RE: ", "Re: "), "lt": ("Ats.: ", "RE: "), "ro": ("Re: ", "Răsp.: "),
                "sk": ("Re: ", "RE: "), "ru": ("Re: ", "Отв.: "), "en": ("Re: ", "RE: ")}
REPLY_MORE = {"lv": "Paldies, bet problēma joprojām nav atrisināta.", "lt": "Ačiū, bet problema vis dar neišspręsta.",
              "ro": "Mulţumesc, dar problema persistă.", "sk": "Ďakujem, ale problém stále pretrváva.",
              "ru": "Спасибо, но проблема всё ещё не решена.", "en": "Thanks, but the problem is still there."}
WROTE = {"lv": "rakstīja", "lt": "rašė", "ro": "a scris", "sk": "napísal(a)", "ru": "писал(а)", "en": "wrote"}
MAILERS = ("Microsoft Outlook 16.0", "Mozilla Thunderbird 115.8.1", "Apple Mail (2.3774.500.171)",
           "Roundcube Webmail/1.6.6", "Zimbra 9.0.0_GA_4583", "The Bat! (v10.5.3.2) Professional",
           "Mail.ru Mail", "Gmail")


@dataclass
class Mail:
    idx: int
    mail_from: str  # envelope sender (= From address)
    rcpt: str  # envelope recipient: one of MAILBOXES
    raw: bytes  # CRLF line endings; may hold TICKET_PLACEHOLDER
    lang: str
    charset: str
    kind: str  # plain | alternative | html | attachments
    reply_of: int | None = None  # idx of the message this answers
    ref_kind: str | None = None  # irt (In-Reply-To/References) | ticket ("Re: [#N]" subject)
    attachments: int = 0
    _stuffed: bytes | None = field(default=None, repr=False)

    def materialize(self, ticket_of: dict) -> bytes:
        """The DATA payload, dot-stuffed, with the ticket number of the answered message filled in."""
        if self._stuffed is not None:
            return self._stuffed
        raw = self.raw
        if TICKET_PLACEHOLDER in raw:
            ticket = ticket_of.get(self.reply_of)
            raw = raw.replace(TICKET_PLACEHOLDER, str(ticket if ticket is not None else self.reply_of + 1).encode())
            return dot_stuff(raw)
        self._stuffed = dot_stuff(raw)
        return self._stuffed


def dot_stuff(raw: bytes) -> bytes:
    out = raw.replace(b"\r\n.", b"\r\n..")
    if out.startswith(b"."):
        out = b"." + out
    return out if out.endswith(b"\r\n") else out + b"\r\n"


def _pick(rng: random.Random, weighted):
    items, weights = zip(*weighted)
    return rng.choices(items, weights)[0]


def _encodable(text: str, charset: str) -> bool:
    try:
        text.encode(charset)
        return True
    except UnicodeEncodeError:
        return False


def _for_charset(text: str, charset: str) -> str:
    # Romanian in iso-8859-2 / windows-1250 is written with the cedilla letters (ş ţ), as old mailers did.
    if charset in ("iso-8859-2", "windows-1250"):
        text = text.replace("ș", "ş").replace("ț", "ţ").replace("Ș", "Ş").replace("Ț", "Ţ")
    return text


def _hdr(text: str, charset: str, name: str) -> str:
    """A header value, RFC 2047-encoded when it is not plain ASCII (Header picks B or Q per charset)."""
    if all(ord(c) < 128 for c in text):
        return text
    cs = charset if charset != "us-ascii" and _encodable(text, charset) else "utf-8"
    return Header(text, cs, header_name=name).encode(linesep="\r\n")


def _subject_hdr(subject: str, charset: str) -> str:
    """The ticket tag stays outside the encoded words, so that it can be filled in at send time."""
    tag = "[#" + TICKET_PLACEHOLDER.decode() + "]"
    if tag not in subject:
        return _hdr(subject, charset, "Subject")
    before, _, after = subject.partition(tag)
    return " ".join(x for x in (_hdr(before.strip(), charset, "Subject"), tag, _hdr(after.strip(), charset,
                                                                                      "Subject")) if x)


def _addr_hdr(name: str, addr: str, charset: str) -> str:
    if all(ord(c) < 128 for c in name):
        return formataddr((name, addr))
    return f"{_hdr(name, charset, 'From')} <{addr}>"


def _encode_body(text: str, charset: str, cte: str) -> bytes:
    data = text.replace("\n", "\r\n").encode(charset)
    if cte == "base64":
        b = base64.encodebytes(data).replace(b"\n", b"\r\n")
        return b
    if cte == "quoted-printable":
        return quopri.encodestring(text.encode(charset)).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + b"\r\n"
    return data + b"\r\n"


def _text_part(text: str, subtype: str, charset: str, cte: str) -> bytes:
    head = (f"Content-Type: text/{subtype}; charset=\"{charset}\"\r\n"
            f"Content-Transfer-Encoding: {cte}\r\n\r\n").encode("ascii")
    return head + _encode_body(text, charset, cte)


def _html(paragraphs: list[str], greeting: str, closing: str, signer: str, company: str) -> str:
    body = "".join(f"<p class=MsoNormal>{p}</p>\n" for p in paragraphs)
    return ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html\">\n"
            "<style>p.MsoNormal{margin:0cm;font-size:11.0pt;font-family:Calibri,sans-serif}</style></head>\n"
            f"<body lang=LV link=\"#0563C1\"><div class=WordSection1>\n<p class=MsoNormal>{greeting}</p>\n{body}"
            f"<p class=MsoNormal>&nbsp;</p><table><tr><td><b>{signer}</b></td></tr><tr><td>{company}</td></tr>"
            "<tr><td><a href=\"https://www.example.org/\">www.example.org</a></td></tr></table>\n</div></body></html>")


def _attachment(rng: random.Random, lang: str, n: int) -> tuple[bytes, str]:
    size = rng.randint(20_000, 200_000)
    if rng.random() < 0.6:
        ctype, ext = "application/pdf", "pdf"
        data = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstream\n" + rng.randbytes(size)
    else:
        ctype, ext = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
        data = b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + b"[Content_Types].xml" + rng.randbytes(size)
    stem = {"lv": "rēķins", "lt": "sąskaita", "ro": "factură", "sk": "faktúra", "ru": "счёт", "en": "invoice"}[lang]
    filename = f"{stem}_{n:05d}.{ext}"
    if all(ord(c) < 128 for c in filename):
        disp = f"attachment; filename=\"{filename}\""
        ctype_line = f"{ctype}; name=\"{filename}\""
    elif rng.random() < 0.5:  # RFC 2231 (Thunderbird, Apple Mail)
        disp = f"attachment; filename*=utf-8''{quote(filename)}"
        ctype_line = f"{ctype}; name*=utf-8''{quote(filename)}"
    else:  # RFC 2047 in a parameter (Outlook, Gmail) -- not standard, but what arrives
        enc = Header(filename, "utf-8").encode()
        disp = f"attachment; filename=\"{enc}\""
        ctype_line = f"{ctype}; name=\"{enc}\""
    head = (f"Content-Type: {ctype_line}\r\nContent-Disposition: {disp}\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n").encode("ascii")
    return head + base64.encodebytes(data).replace(b"\n", b"\r\n"), ctype


def _multipart(subtype: str, boundary: str, parts: list[bytes]) -> tuple[str, bytes]:
    body = b"This is a multi-part message in MIME format.\r\n\r\n"
    for p in parts:
        body += f"--{boundary}\r\n".encode() + p + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return f"multipart/{subtype};\r\n\tboundary=\"{boundary}\"", body


class Senders:
    """Client contacts (by domain, plus a free-mail contact) and unknown senders, with a skew: a few people
    write a lot (some pass the daily receipt limit), most write a little."""

    def __init__(self, rng: random.Random):
        self.people = []  # (address, display name, language, weight)
        for cid, _name, lang, domain, _plan in CLIENTS:
            names = NAMES[lang]
            for k in range(18):
                first, last = names[k % len(names)]
                local = _local(f"{first}.{last}")
                local = local if k < len(names) else f"{local}{k}"
                self.people.append((f"{local}@{domain}", f"{first} {last}", lang, 1.0 / (1 + k) ** 0.9 * 4))
            for addr in CLIENT_CONTACTS.get(cid, ()):
                self.people.append((addr, "Grāmatvede", lang, 1.5))
        langs = list(NAMES)
        for k in range(140):
            lang = rng.choice(langs)
            first, last = rng.choice(NAMES[lang])
            local = _local(f"{first[0]}{last}") + str(rng.randint(1, 999))
            self.people.append((f"{local}@{rng.choice(UNKNOWN_DOMAINS)}", f"{first} {last}", lang, 0.45))
        self.weights = [p[3] for p in self.people]

    def pick(self, rng):
        return rng.choices(self.people, self.weights)[0]


def generate(n: int, seed: int = 20260302, tag: str = "b", reply_rate: float = 0.30, min_gap=lambda i: 1,
             ticket_refs: bool = True, base: list | None = None) -> list[Mail]:
    """n messages; message i may answer message j <= i - min_gap(i) of the same sender (j may be in `base`,
    a corpus already sent to the same database). ticket_refs=False threads replies by In-Reply-To only."""
    rng = random.Random(f"{seed}:{tag}")
    senders = Senders(random.Random(seed))  # the same people whatever the tag
    start = datetime(2026, 3, 2, 8, 30, tzinfo=timezone(timedelta(hours=2)))
    previous: list[Mail] = list(base or [])
    offset = len(previous)
    meta = {m.idx: m for m in previous}
    info: dict[int, tuple] = {m.idx: getattr(m, "_info") for m in previous if hasattr(m, "_info")}
    out = []
    for k in range(n):
        i = offset + k
        reply_of = None
        if rng.random() < reply_rate:
            limit = i - min_gap(i)
            if limit >= 0 and info:
                candidates = [j for j in info if j <= limit]
                if candidates:
                    reply_of = rng.choice(candidates[-400:])
        if reply_of is not None:
            addr, display, lang, orig_subject, orig_mid, orig_refs, orig_text = info[reply_of]
            rcpt = meta[reply_of].rcpt
        else:
            addr, display, lang, _w = senders.pick(rng)
            rcpt = MAILBOXES[0] if rng.random() < 0.85 else MAILBOXES[1]
        charset = _pick(rng, CHARSETS[lang])
        domain = addr.rpartition("@")[2]
        mid = f"{tag}{i:06d}.{rng.getrandbits(48):012x}@{'mail.' + domain if rng.random() < 0.5 else domain}"
        date = start + timedelta(seconds=37 * i + rng.randint(0, 30))
        paragraphs = rng.sample(SENTENCES[lang], rng.randint(2, 4))
        company = next((c[1] for c in CLIENTS if c[3] == domain), "")
        if reply_of is None:
            subject = rng.choice(SUBJECTS[lang]).format(n=rng.randint(100, 9999), m=rng.choice(MONTHS[lang]))
            ref_kind, refs = None, []
        else:
            ref_kind = "ticket" if (ticket_refs and rng.random() < 0.5) else "irt"
            prefix = rng.choice(REPLY_PREFIX[lang])
            if ref_kind == "ticket":
                subject = prefix + "[#" + TICKET_PLACEHOLDER.decode() + "] " + orig_subject
            else:
                subject = prefix + orig_subject
            refs = (orig_refs + [orig_mid])[-8:]
            paragraphs = [REPLY_MORE[lang]] + paragraphs[:2]
        plain = "\n\n".join([GREETING[lang]] + paragraphs + [f"{CLOSING[lang]}\n{display}\n{company}".rstrip()])
        if reply_of is not None:
            quoted = "\n".join("> " + line for line in orig_text.splitlines()[:12])
            plain += f"\n\n{format_datetime(date - timedelta(hours=3))}, {display} {WROTE[lang]}:\n{quoted}"
        html = _html(paragraphs, GREETING[lang], CLOSING[lang], display, company)
        # the charset the mailer would pick, unless the text does not fit in it (then utf-8, as they do)
        text_charset = charset
        if not _encodable(_for_charset(plain + html + subject + display, charset), charset):
            text_charset = "utf-8"
        plain, html = _for_charset(plain, text_charset), _for_charset(html, text_charset)
        r = rng.random()
        kind = "plain" if r < 0.52 else "alternative" if r < 0.77 else "html" if r < 0.85 else "attachments"
        cte = rng.choice(("quoted-printable", "base64", "8bit") if text_charset != "us-ascii" else ("7bit",))
        headers = [
            f"Received: from {'mail.' + domain} ({'mail.' + domain} [198.51.100.{rng.randint(2, 250)}])\r\n"
            f"\tby mx.example.com (Postfix) with ESMTPS id {rng.getrandbits(40):010X}\r\n"
            f"\tfor <{rcpt}>; {format_datetime(date + timedelta(seconds=2))}",
            f"From: {_addr_hdr(display, addr, text_charset)}",
            f"To: {formataddr(('Support', rcpt))}",
            f"Subject: {_subject_hdr(subject, text_charset)}",
            f"Date: {format_datetime(date)}",
            f"Message-ID: <{mid}>",
        ]
        if refs:
            headers.append(f"In-Reply-To: <{refs[-1]}>")
            headers.append("References: " + "\r\n ".join(f"<{x}>" for x in refs))
        if ref_kind == "ticket":  # threads by the subject only: drop the headers
            headers = [h for h in headers if not h.startswith(("In-Reply-To", "References"))]
        headers += ["MIME-Version: 1.0", f"X-Mailer: {rng.choice(MAILERS)}",
                    f"Content-Language: {dict(en='en-GB').get(lang, lang)}"]
        boundary = f"----=_Part_{rng.getrandbits(64):016x}"
        attachments = 0
        if kind == "plain":
            body_head = f"Content-Type: text/plain; charset=\"{text_charset}\"; format=flowed\r\n" \
                        f"Content-Transfer-Encoding: {cte}"
            body = _encode_body(plain, text_charset, cte)
        elif kind == "html":
            body_head = f"Content-Type: text/html; charset=\"{text_charset}\"\r\nContent-Transfer-Encoding: {cte}"
            body = _encode_body(html, text_charset, cte)
        else:
            alt_ct, alt_body = _multipart("alternative", boundary + "_alt", [
                _text_part(plain, "plain", text_charset, cte), _text_part(html, "html", text_charset, cte)])
            if kind == "alternative":
                body_head, body = f"Content-Type: {alt_ct}", alt_body
            else:
                parts = [f"Content-Type: {alt_ct}\r\n\r\n".encode() + alt_body]
                for a in range(rng.choice((1, 1, 1, 2))):
                    part, _ctype = _attachment(rng, lang, i * 10 + a)
                    parts.append(part)
                    attachments += 1
                mixed_ct, body = _multipart("mixed", boundary, parts)
                body_head = f"Content-Type: {mixed_ct}"
        try:
            raw = ("\r\n".join(headers) + "\r\n" + body_head + "\r\n\r\n").encode("ascii") + body
        except UnicodeEncodeError:
            raise RuntimeError(repr(headers)) from None
        mail = Mail(i, addr, rcpt, raw, lang, text_charset, kind, reply_of, ref_kind, attachments)
        mail._info = (addr, display, lang, subject if reply_of is None else orig_subject, mid, refs, plain)
        info[i] = mail._info
        meta[i] = mail
        out.append(mail)
    return out


def describe(mails: list[Mail]) -> dict:
    n = len(mails)
    size = [len(m.raw) for m in mails]
    return {
        "messages": n,
        "bytes_total": sum(size),
        "bytes_mean": round(sum(size) / n) if n else 0,
        "bytes_max": max(size) if n else 0,
        "languages": dict(sorted(Counter(m.lang for m in mails).items())),
        "charsets": dict(sorted(Counter(m.charset for m in mails).items())),
        "structure": dict(sorted(Counter(m.kind for m in mails).items())),
        "attachments": sum(m.attachments for m in mails),
        "replies": sum(m.reply_of is not None for m in mails),
        "replies_by_in_reply_to": sum(m.ref_kind == "irt" for m in mails),
        "replies_by_ticket_ref": sum(m.ref_kind == "ticket" for m in mails),
        "client_senders": sum(any(m.mail_from.endswith("@" + c[3]) for c in CLIENTS)
                              or m.mail_from in sum(CLIENT_CONTACTS.values(), ()) for m in mails),
        "distinct_senders": len({m.mail_from for m in mails}),
        "to_objections_mailbox": sum(m.rcpt == MAILBOXES[1] for m in mails),
    }


if __name__ == "__main__":  # a look at the corpus: python bench/mailgen.py [N] [IDX]
    import json
    import sys
    ms = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
    print(json.dumps(describe(ms), ensure_ascii=False, indent=1))
    if len(sys.argv) > 2:
        sys.stdout.buffer.write(ms[int(sys.argv[2])].raw[:6000])
