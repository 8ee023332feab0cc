"""Deterministic generator of the personal-data test set for mailbot's guard.

    python -m tests.privacy_set.generate            # (re)writes tests/privacy_set/messages/*.eml + labels.json
    python -m tests.privacy_set.generate --out DIR  # writes DIR/messages/*.eml + DIR/labels.json

Same code, same library versions and the same DejaVu font => the same bytes (seed SEED below; every message
has its own random stream seeded from (SEED, file number), so editing one scenario does not reshuffle all).
See README.md beside this file for what the set contains and how labels are defined.
"""
from __future__ import annotations

import argparse
import collections
import datetime
import html
import json
import random
import re
import sys
import uuid
from dataclasses import dataclass, field
from email import base64mime, quoprimime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr
from pathlib import Path

from . import codes as C
from . import docs as D
from . import extract as X
from . import nearmiss as NM
from . import people as P
from .texts_baltic import LT, LV
from .texts_other import EN, RO, RU, SK

SEED = 20261120
HERE = Path(__file__).resolve().parent
LANGS = {"lv": LV, "lt": LT, "ro": RO, "sk": SK, "ru": RU, "en": EN}
SUPPORT = "help@support.example"
AGENTS = {"lv": ("Ilze Kalniņa", "ilze@support.example"), "lt": ("Tomas Petrauskas", "tomas@support.example")}
VENDOR = dict(name="SIA Skaitlis", short="Skaitlis", web="www.skaitlis.example")

# ============================================================================ clients
CLIENTS = {
    "acme": dict(name="SIA Acme", lang="lv", domain="acme.lv", cc="LV", nations=["lv"],
                 langs=[("lv", 0.78), ("ru", 0.12), ("en", 0.10)],
                 contacts=["anna.berzina@acme.lv", "gramatvediba@acme.lv"],
                 staff=[("Anna Bērziņa", "anna.berzina@acme.lv", "galvenā grāmatvede", "chief accountant", "главный бухгалтер"),
                        ("Inese Kronberga", "gramatvediba@acme.lv", "algu grāmatvede", "payroll accountant", "бухгалтер по зарплате"),
                        ("Dace Vilka", "dace.vilka@acme.lv", "personāla speciāliste", "HR specialist", "специалист по персоналу"),
                        ("Edgars Miezis", "edgars.miezis@acme.lv", "IT administrators", "IT administrator", "IT-администратор"),
                        ("Sandra Ābele", "sandra.abele@acme.lv", "grāmatvede", "accountant", "бухгалтер")],
                 shared={"gramatvediba@acme.lv": "SIA Acme grāmatvedība"},
                 phone="+371 67 214 580", addr="Krišjāņa Barona iela 41, Rīga, LV-1011", web="www.acme.lv"),
    "baltic": dict(name="UAB Baltic Soft", lang="lt", domain="baltic.lt", cc="LT", nations=["lt"],
                   langs=[("lt", 0.88), ("en", 0.12)],
                   contacts=["jonas.kazlauskas@baltic.lt"],
                   staff=[("Jonas Kazlauskas", "jonas.kazlauskas@baltic.lt", "vyr. buhalteris", "chief accountant", "главный бухгалтер"),
                          ("Rasa Grigaitė", "rasa.grigaite@baltic.lt", "buhalterė", "accountant", "бухгалтер"),
                          ("Laima Dapkienė", "personalas@baltic.lt", "personalo vadovė", "HR manager", "менеджер по персоналу"),
                          ("Edvinas Kairys", "it@baltic.lt", "IT administratorius", "IT administrator", "IT-администратор")],
                   shared={},
                   phone="+370 5 212 4470", addr="Gedimino pr. 9, LT-01103 Vilnius", web="www.baltic.lt"),
    "carpat": dict(name="SC Carpat SRL", lang="ro", domain="carpat.ro", cc="RO", nations=["ro"],
                   langs=[("ro", 0.88), ("en", 0.12)],
                   contacts=["maria.popescu@carpat.ro"],
                   staff=[("Maria Popescu", "maria.popescu@carpat.ro", "contabil șef", "chief accountant", ""),
                          ("Andrei Vasilescu", "andrei.vasilescu@carpat.ro", "economist", "economist", ""),
                          ("Irina Bratu", "resurse.umane@carpat.ro", "inspector resurse umane", "HR officer", ""),
                          ("Radu Ene", "it@carpat.ro", "administrator IT", "IT administrator", "")],
                   shared={},
                   phone="+40 264 450 120", addr="Str. Memorandumului nr. 28, 400114 Cluj-Napoca", web="www.carpat.ro"),
    "tatra": dict(name="Tatra s.r.o.", lang="sk", domain="tatra.sk", cc="SK", nations=["sk"],
                  langs=[("sk", 0.88), ("en", 0.12)],
                  contacts=["peter.novak@tatra.sk"],
                  staff=[("Peter Novák", "peter.novak@tatra.sk", "ekonóm", "finance manager", ""),
                         ("Zuzana Kráľová", "zuzana.kralova@tatra.sk", "mzdová účtovníčka", "payroll accountant", ""),
                         ("Eva Bieliková", "eva.bielikova@tatra.sk", "personalistka", "HR officer", ""),
                         ("Marek Ďurček", "marek.durcek@tatra.sk", "správca IT", "IT administrator", "")],
                  shared={},
                  phone="+421 41 562 3100", addr="Hurbanova 14, 010 01 Žilina", web="www.tatra.sk"),
    "krylov": dict(name="ООО «Крылов»", lang="ru", domain="krylov.ru", cc=None, nations=["ru"],
                   langs=[("ru", 1.0)],
                   contacts=["buh@krylov.ru"],
                   staff=[("Светлана Морозова", "buh@krylov.ru", "главный бухгалтер", "", "главный бухгалтер"),
                          ("Ольга Лебедева", "o.lebedeva@krylov.ru", "бухгалтер по заработной плате", "", "бухгалтер по заработной плате"),
                          ("Наталья Белова", "kadry@krylov.ru", "специалист по кадрам", "", "специалист по кадрам"),
                          ("Дмитрий Соколов", "sokolov@krylov.ru", "системный администратор", "", "системный администратор")],
                   shared={"buh@krylov.ru": "Бухгалтерия ООО «Крылов»"},
                   phone="+7 (495) 984-21-37", addr="ул. Бутырская, д. 76, стр. 1, Москва, 127015", web="krylov.ru"),
}
CLIENT_LEGAL_NAME = {"carpat": "SC Carpat SRL", "krylov": "ООО «Крылов»"}


def _client_ids() -> None:
    """Fixed company identifiers of the clients and the vendor (valid checksums; they must not be flagged)."""
    r = random.Random(f"{SEED}-companies")
    a = CLIENTS["acme"]
    a["reg"] = C.lv_company(r)
    a["vat"] = "LV" + a["reg"]
    a["iban"] = C.iban(r, "LV")
    b = CLIENTS["baltic"]
    b["reg"] = C.lt_company(r)
    b["vat"] = C.lt_vat(r)
    b["iban"] = C.iban(r, "LT")
    c = CLIENTS["carpat"]
    c["reg"] = C.ro_cui_code(r)
    c["vat"] = "RO" + c["reg"]
    c["iban"] = C.iban(r, "RO")
    c["onrc"] = f"J12/{r.randint(100, 4999)}/{r.randint(2003, 2019)}"
    t = CLIENTS["tatra"]
    t["reg"] = C.sk_ico(r)
    t["dic"] = C.sk_dic(r)
    t["vat"] = "SK" + t["dic"]
    t["iban"] = C.iban(r, "SK")
    k = CLIENTS["krylov"]
    k["reg"] = C.ru_inn_company(r)
    k["kpp"] = C.ru_kpp(r, k["reg"])
    k["ogrn"] = C.ru_ogrn(r, k["reg"])
    k["vat"] = k["kpp"]
    k["rs"] = "40702810" + f"{r.randint(0, 10**12 - 1):012d}"
    k["bik"] = "044525" + f"{r.randint(100, 999)}"
    k["iban"] = ""
    VENDOR["reg"] = C.lv_company(r)
    VENDOR["vat"] = "LV" + VENDOR["reg"]
    VENDOR["iban"] = C.iban(r, "LV")


_client_ids()

ACCOUNTS = {"LV": ["2310", "2610", "5310", "5721", "7110", "6110", "2110", "5410", "7550", "1240"],
            "LT": ["2410", "4430", "2710", "6000", "5000", "4480", "2420", "6300"],
            "RO": ["401", "411", "4111", "5121", "371", "607", "707", "4426", "4427", "6022"],
            "SK": ["311", "321", "221", "343", "518", "604", "112", "501", "211"],
            None: ["60.01", "62.01", "41.01", "10.01", "51", "68.02", "19.03", "90.01", "76.05"]}
ERR_CODES = ["E-1042", "ERR_0231", "0x80070005", "SQLSTATE 23505", "HTTP 502", "ORA-00942", "XSD-017",
             "E_SCHEMA_0412", "0x80131904", "ERR-TIMEOUT-30", "HTTP 401", "SEPA-VAL-07", "E1205"]
MODULES = ["export.vat", "bank.import", "core.db", "reports.balance", "einvoice.sender", "ledger.close",
           "fx.rates", "stock.count", "print.engine", "license.check"]
LOG_MSGS = ["Schema validation failed: element '{el}' line {l} col {c}", "Timeout after 30000 ms waiting for {host}",
            "Deadlock victim, transaction {tx} rolled back", "Period {y}-{m:02d} is locked by user ADMIN",
            "Response 502 Bad Gateway from {host}", "Cannot open cursor: too many open handles ({l})",
            "Unbalanced entry: debit {a} != credit {b}", "Certificate expired on {d}"]
HOSTS = ["eds.vid.example.lv", "api.bank.example", "efactura.example.ro", "edo.example.ru", "fx.ecb.example",
         "licensing.skaitlis.example", "sftp.example.net"]
MAILERS = [("X-Mailer", "Microsoft Outlook 16.0"), ("User-Agent", "Mozilla Thunderbird 115.12.2"),
           ("User-Agent", "Roundcube Webmail/1.6.7"), ("X-Mailer", "Apple Mail (2.3774.600.62)"), None, None]

TRICK = "TRICKY: "


# ============================================================================ drafts
@dataclass
class Att:
    filename: str
    data: object  # bytes, or a Draft for a forwarded message
    ctype: str = "application/octet-stream"
    charset: str | None = None


@dataclass
class Draft:
    rng: random.Random
    client: str
    lang: str
    sender: tuple
    date: datetime.datetime
    subject: str = ""
    text: str | None = None
    html: str | None = None
    charset: str = "utf-8"
    cte: str = "quoted-printable"
    atts: list = field(default_factory=list)
    findings: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    nm: list = field(default_factory=list)
    mailer: tuple | None = None
    msgid: str = ""
    to: str = SUPPORT
    in_reply_to: str | None = None
    raw_headers: bool = False

    @property
    def L(self) -> dict:
        return LANGS[self.lang]

    def find(self, kind: str, where: str, values=()) -> None:
        key = (kind, where)
        vals = self.findings.setdefault(key, [])
        for v in values:
            if v not in vals:
                vals.append(v)

    def near(self, *what: str) -> None:
        for w in what:
            if w not in self.nm:
                self.nm.append(w)


def gender(text: str, sex: str) -> str:
    return re.sub(r"\[([^\[\]|]*)\|([^\[\]|]*)\]", lambda m: m.group(1) if sex == "M" else m.group(2), text)


def month_file(lang: str, month: int, year: int, rng: random.Random) -> str:
    names = {"lv": ["janvaris", "februaris", "marts", "aprilis", "maijs", "junijs", "julijs", "augusts", "septembris",
                    "oktobris", "novembris", "decembris"]}.get(lang)
    if names and rng.random() < 0.4:
        return names[month - 1]
    return rng.choice([f"{year}_{month:02d}", f"{year}-{month:02d}", f"{month:02d}{year}", f"{year}{month:02d}"])


# ============================================================================ context
class Ctx:
    """Everything one message needs: client, language, sender, dates, and the near-miss value factory."""

    def __init__(self, rng: random.Random, client: str, lang: str | None = None, when: datetime.datetime | None = None):
        self.rng = rng
        self.cid = client
        self.cl = CLIENTS[client]
        self.lang = lang or self._pick_lang()
        self.L = LANGS[self.lang]
        self.N = LANGS[self.cl["lang"]]  # the client's native bank: company words, number formats
        r = rng
        self.date = when or self._date()
        m = self.date.month - 1 if self.date.day < 20 or r.random() < 0.5 else self.date.month
        self.month = m if m >= 1 else 12
        self.year = self.date.year if self.month <= self.date.month else self.date.year - 1
        staff = self.cl["staff"]
        if r.random() < 0.55:
            regs = [s for s in staff if s[1] in self.cl["contacts"]]
            self.sender = r.choice(regs)
        else:
            self.sender = r.choice([s for s in staff if s[1] not in self.cl["contacts"]] or staff)
        self.used_names: set = set()
        for s in staff:
            parts = s[0].split()
            self.used_names.add((parts[0], parts[-1]))

    def _pick_lang(self) -> str:
        x = self.rng.random()
        acc = 0.0
        for lang, p in self.cl["langs"]:
            acc += p
            if x < acc:
                return lang
        return self.cl["langs"][0][0]

    def _date(self) -> datetime.datetime:
        r = self.rng
        day = datetime.date(2026, 1, 5) + datetime.timedelta(days=r.randint(0, 318))
        while day.weekday() >= 5 and r.random() < 0.85:
            day += datetime.timedelta(days=1)
        tz = datetime.timezone(datetime.timedelta(hours=3 if self.cl["lang"] == "ru" else (3 if 3 < day.month < 11 else 2)))
        return datetime.datetime(day.year, day.month, day.day, r.randint(7, 18), r.randint(0, 59), r.randint(0, 59),
                                 tzinfo=tz)

    # ---------------------------------------------------------------- language helpers
    def pick(self, key: str):
        return self.rng.choice(self.L[key])

    def month_name(self, g: bool = False) -> str:
        return self.L["months_g" if g else "months"][self.month - 1]

    def dmy(self, d: datetime.date | None = None) -> str:
        d = d or self.date.date()
        return d.strftime("%d.%m.%Y") if self.lang != "en" or self.rng.random() < 0.5 else d.isoformat()

    def currency(self) -> str:
        ru = self.lang == "ru"
        return {"krylov": "руб." if ru else "RUB", "carpat": "lei" if self.lang == "ro" else "RON"}.get(
            self.cid, "EUR")

    def pay_date(self) -> str:
        y, m = (self.date.year, self.date.month)
        d = datetime.date(y, m, min(28, max(self.date.day + self.rng.randint(1, 6), 5)))
        return self.dmy(d)

    def amount(self, lo: float = 50, hi: float = 25000) -> str:
        v = round(self.rng.uniform(lo, hi) * (50 if self.cl["lang"] == "ru" else (4.9 if self.cl["lang"] == "ro" else 1)), 2)
        return D.fmt_amount(v, self.lang if self.lang == "en" else self.cl["lang"], thousands=self.rng.random() < 0.5)

    # ---------------------------------------------------------------- near-miss values (clean mail)
    def company(self) -> dict:
        """A supplier/customer with valid registration/VAT numbers and a company IBAN."""
        r = self.rng
        cc = self.cl["cc"]
        name = r.choice(self.N["company"]["suppliers"])
        if cc == "LV":
            reg = C.lv_company(r)
            return dict(name=name, reg=reg, vat="LV" + reg, iban=C.iban(r, "LV"), kpp="")
        if cc == "LT":
            return dict(name=name, reg=C.lt_company(r), vat=C.lt_vat(r), iban=C.iban(r, "LT"), kpp="")
        if cc == "RO":
            cui = C.ro_cui_code(r)
            return dict(name=name, reg=cui, vat=("RO" + cui) if r.random() < 0.7 else cui, iban=C.iban(r, "RO"), kpp="")
        if cc == "SK":
            return dict(name=name, reg=C.sk_ico(r), vat=C.sk_vat(r), iban=C.iban(r, "SK"), kpp="")
        inn = C.ru_inn_company(r)
        return dict(name=name, reg=inn, vat=inn, iban="", kpp=C.ru_kpp(r, inn), ogrn=C.ru_ogrn(r, inn))

    def inv_no(self) -> str:
        r = self.rng
        return r.choice(self.N["inv_fmt"]).format(year=self.year, n=r.randint(12, 4999))

    def doc_no(self) -> str:
        r = self.rng
        return r.choice(self.N["doc_fmt"]).format(year=self.year, n=r.randint(12, 9999))

    def version(self) -> tuple[str, str, str]:
        r = self.rng
        minor = r.randint(1, 4)
        b = r.randint(1000, 1199)
        build = f"2026{r.randint(1, 11):02d}{r.randint(1, 28):02d}"
        return f"7.{minor}.{b}", f"7.{minor - 1 if minor > 1 else 0}.{b - r.randint(20, 90)}", build

    def guid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def license_key(self) -> str:
        r = self.rng
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        return "SKT7-" + "-".join("".join(r.choice(alphabet) for _ in range(4)) for _ in range(4))

    def logline(self, n: int = 1) -> str:
        r = self.rng
        out = []
        t = datetime.datetime.combine(self.date.date(), datetime.time(r.randint(6, 17), r.randint(0, 59), r.randint(0, 59)))
        for _ in range(n):
            t += datetime.timedelta(seconds=r.randint(1, 90), milliseconds=r.randint(1, 999))
            msg = r.choice(LOG_MSGS).format(el=r.choice(["DokPVNv7", "R1", "Invoice/cbc:ID", "Header", "Saskaita"]),
                                            l=r.randint(2, 900), c=r.randint(1, 80), host=r.choice(HOSTS),
                                            tx=r.randint(10000, 99999), y=self.year, m=self.month,
                                            a=D.fmt_amount(r.uniform(10, 9999), "en"),
                                            b=D.fmt_amount(r.uniform(10, 9999), "en"), d=self.dmy())
            lvl = r.choice(["ERROR", "ERROR", "WARN", "INFO", "FATAL"])
            out.append(f"{t:%Y-%m-%d %H:%M:%S},{t.microsecond // 1000:03d} {lvl:5s} [{r.choice(MODULES)}] {msg} "
                       f"(code {r.choice(ERR_CODES)})")
        return "\n".join(out)

    def trace(self) -> str:
        r = self.rng
        kind = r.choice(["py", "java", "net"])
        if kind == "py":
            return (f"Traceback (most recent call last):\n"
                    f"  File \"C:\\Program Files\\Skaitlis\\lib\\skaitlis\\export\\vat.py\", line {r.randint(40, 900)}, in build_declaration\n"
                    f"    rows = self._collect(period)\n"
                    f"  File \"C:\\Program Files\\Skaitlis\\lib\\skaitlis\\db\\query.py\", line {r.randint(20, 300)}, in execute\n"
                    f"    cur.execute(sql, params)\n"
                    f"psycopg2.errors.UndefinedColumn: column \"vat_rate_id\" does not exist\n"
                    f"LINE 1: SELECT d.id, d.doc_no, d.vat_rate_id FROM documents d WHERE d.period_id = {r.randint(100, 999)}")
        if kind == "java":
            return (f"java.lang.NullPointerException: Cannot invoke \"lv.skaitlis.core.Period.getStart()\" because \"period\" is null\n"
                    f"\tat lv.skaitlis.reports.BalanceReport.build(BalanceReport.java:{r.randint(50, 600)})\n"
                    f"\tat lv.skaitlis.reports.ReportRunner.run(ReportRunner.java:{r.randint(20, 200)})\n"
                    f"\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)\n"
                    f"\tat java.base/java.lang.Thread.run(Thread.java:1583)")
        return (f"System.Data.SqlClient.SqlException (0x80131904): Violation of PRIMARY KEY constraint 'PK_Documents'. "
                f"Cannot insert duplicate key in object 'dbo.Documents'. The duplicate key value is ({r.randint(10000, 999999)}).\n"
                f"   at System.Data.SqlClient.SqlConnection.OnError(SqlException exception, Boolean breakConnection)\n"
                f"   at Skaitlis.Data.DocumentRepository.Insert(Document doc) in D:\\build\\agent\\_work\\12\\s\\src\\Skaitlis.Data\\DocumentRepository.cs:line {r.randint(30, 400)}\n"
                f"   at Skaitlis.UI.Forms.InvoiceForm.btnPost_Click(Object sender, EventArgs e) in D:\\build\\agent\\_work\\12\\s\\src\\Skaitlis.UI\\Forms\\InvoiceForm.cs:line {r.randint(100, 900)}\n"
                f"ClientConnectionId:{self.guid()}\nError Number:2627,State:1,Class:14")

    def sql(self) -> str:
        r = self.rng
        return (f"SELECT a.account_no, SUM(e.debit) AS debit, SUM(e.credit) AS credit\n"
                f"FROM ledger_entries e\nJOIN accounts a ON a.id = e.account_id\n"
                f"WHERE e.company_id = {r.randint(1, 9)} AND e.entry_date BETWEEN '{self.year}-01-01' AND '{self.year}-12-31'\n"
                f"GROUP BY a.account_no\nORDER BY a.account_no;\n"
                f"-- duration: {r.randint(200000, 900000)}.{r.randint(100, 999)} ms  rows: {r.randint(200, 4000)}")

    def values(self) -> dict:
        """All placeholders a clean template may use."""
        r = self.rng
        sup = self.company()
        cust = self.company()
        ver, ver_old, build = self.version()
        accts = ACCOUNTS[self.cl["cc"]]
        acct = r.choice(accts)
        cc = self.cl
        tlang = self.lang if self.lang == "en" else cc["lang"]
        v = dict(
            inv=self.inv_no(), vinv=f"SKT-{self.year}-{r.randint(100, 2999):04d}", doc=self.doc_no(),
            order=self.doc_no(), asset=f"{r.choice(['PL', 'IT', 'MF', 'OS'])}-{r.randint(10, 9999):05d}",
            amount=self.amount(), pct=r.choice([3, 5, 7.5, 10, 12, 15]), n=r.randint(12, 380), n2=r.randint(2, 11),
            date=self.dmy(self.date.date() - datetime.timedelta(days=r.randint(1, 40))),
            date_iso=(self.date.date() - datetime.timedelta(days=r.randint(0, 10))).isoformat(),
            time=f"{r.randint(6, 22):02d}:{r.randint(0, 59):02d}", year=self.year, year_next=self.year + 1,
            month=self.month_name(), month_g=self.month_name(True), month_num=f"{self.month:02d}",
            quarter=["I", "II", "III", "IV"][(self.month - 1) // 3], ver=ver, ver_old=ver_old, build=build,
            guid=self.guid(), lic=self.license_key(), err_code=r.choice(ERR_CODES), logline=self.logline(r.randint(1, 3)),
            trace=self.trace(), sql=self.sql(), supplier=sup["name"], sup_reg=sup["reg"], sup_vat=sup["vat"],
            sup_kpp=sup["kpp"], customer=cust["name"], cust_vat=cust["vat"],
            iban_co=C.fmt("iban", cc["iban"]) if cc["iban"] else "", vendor_iban=C.fmt("iban", VENDOR["iban"]),
            rs=cc.get("rs", ""), bank=r.choice(self.N["company"]["banks"]), wh=r.choice(self.N["company"]["warehouses"]),
            acct=acct, acct2=r.choice([a for a in accts if a != acct]), tpl=r.choice(self.N["company"]["templates"]),
            docnum=f"{self.year}{r.randint(1, 11):02d}-{r.randint(100000, 999999)}", reg=cc["reg"], dic=cc.get("dic", ""),
            kpp=cc.get("kpp", ""), client_name=cc["name"], customer_domain=r.choice(["example.com", "partner.example"]),
            domain=cc["domain"], err_text=r.choice(self.L["err_text"]), d1="", d2="", cur=self.currency(),
        )
        v["_tlang"] = tlang
        return v

    # ---------------------------------------------------------------- people
    def person(self, nation: str | None = None, kinds=(), sex=None) -> P.Person:
        nation = nation or self.cl["nations"][0]
        p = P.make_person(self.rng, nation, self.lang, tuple(kinds), sex, self.used_names)
        base = {"lv": 1100, "lt": 1500, "ro": 5400, "sk": 1350, "cz": 1350, "ee": 1500, "pl": 1500, "ru": 68000}
        host = self.cl["nations"][0]
        p.gross = round(base[host] * self.rng.uniform(0.75, 2.5)) + self.rng.choice([0, 0, 0.5, 0.25, 0.8])
        if self.cl["cc"] and nation in ("ee", "pl", "cz", "lv", "lt") and nation != host:
            p.iban = C.iban(self.rng, self.cl["cc"]) if self.rng.random() < 0.5 else p.iban
        return p

    # ---------------------------------------------------------------- message frame
    def signature(self, own_mobile: bool = False, own_private: str | None = None, full: bool | None = None,
                  who: tuple | None = None) -> str:
        r = self.rng
        name, addr, pos, pos_en, pos_ru = who or self.sender
        position = {"en": pos_en or pos, "ru": pos_ru or pos}.get(self.lang, pos)
        cc = self.cl
        full = r.random() < 0.55 if full is None else full
        lines = [name]
        if position:
            lines.append(position[0].upper() + position[1:] if self.lang != "ru" and r.random() < 0.5 else position)
        lines.append(cc["name"])
        lab = r.choice(self.L["phone_label"])
        lines.append(f"{lab} {cc['phone']}" + (f", {r.choice(['ext.', 'доб.' if self.lang == 'ru' else 'iekš.'])} "
                                               f"{r.randint(100, 299)}" if r.random() < 0.2 else ""))
        if own_mobile:
            lines.append(f"{r.choice(['Mob.', 'M:', 'mob.'] if self.lang != 'ru' else ['моб.'])} {P.mobile(r, cc['nations'][0])}")
        if full:
            lines.append(addr)
            lines.append(cc["web"])
            if r.random() < 0.6:
                comp = self.N["company"]
                extra = f"{comp['reg_label']} {cc['reg']}"
                if cc["cc"] == "SK":
                    extra = f"IČO: {cc['reg']}, DIČ: {cc['dic']}, IČ DPH: {cc['vat']}"
                elif cc["cc"] == "RO":
                    extra = f"CUI {cc['vat']}, Nr. ORC {cc['onrc']}"
                elif cc["cc"] is None:
                    extra = f"ИНН {cc['reg']} / КПП {cc['kpp']}, ОГРН {cc['ogrn']}"
                else:
                    extra += f", {comp['vat_label']} {cc['vat']}"
                lines.append(extra)
            if cc["iban"] and r.random() < 0.3:
                lines.append(f"IBAN {C.fmt('iban', cc['iban'])}")
            elif cc["cc"] is None and r.random() < 0.3:
                lines.append(f"р/с {cc['rs']}, БИК {cc['bik']}")
        if own_private:
            lines.append(own_private)
        sig = "\n".join(lines)
        return sig

    def frame(self, paragraphs: list[str], *, greet: bool = True, own_mobile: bool = False,
              own_private: str | None = None, sign: bool = True, sig_full: bool | None = None,
              who: tuple | None = None) -> str:
        r = self.rng
        out = []
        if greet:
            out.append(self.pick("greet"))
        out += [p for p in paragraphs if p]
        if sign:
            so = self.pick("sign_off")
            sep = "\n" if not so.endswith("!") or r.random() < 0.5 else "\n\n"
            dash = "-- \n" if r.random() < 0.25 else ""
            out.append(so + sep + dash + self.signature(own_mobile, own_private, sig_full, who))
        return "\n\n".join(out)

    def draft(self) -> Draft:
        r = self.rng
        d = Draft(rng=r, client=self.cid, lang=self.lang, sender=self.sender, date=self.date)
        d.mailer = r.choice(MAILERS)
        local = "".join(r.choice("0123456789abcdef") for _ in range(r.choice([16, 24, 32])))
        if d.mailer and "Outlook" in d.mailer[1]:
            d.msgid = f"<{r.choice(['AM0PR', 'DB9PR', 'VI1PR', 'PA4PR'])}{r.randint(1, 9)}{r.randint(0, 9)}MB" \
                      f"{r.randint(1000, 9999)}{local[:10].upper()}@{r.choice(['eurprd01', 'eurprd04', 'eurprd07'])}.prod.outlook.com>"
        else:
            d.msgid = f"<{local}.{r.randint(1000, 99999)}@{self.cl['domain']}>"
        d.to = r.choice([SUPPORT, f"Help <{SUPPORT}>", f"\"{VENDOR['short']} atbalsts\" <{SUPPORT}>" if self.lang == "lv"
                         else f"{VENDOR['short']} support <{SUPPORT}>"])
        # body charset / transfer encoding
        choices = {
            "lv": [("utf-8", "quoted-printable"), ("utf-8", "base64"), ("utf-8", "8bit"), ("windows-1257", "quoted-printable"),
                   ("iso-8859-13", "quoted-printable"), ("windows-1257", "8bit")],
            "lt": [("utf-8", "quoted-printable"), ("utf-8", "base64"), ("utf-8", "8bit"), ("windows-1257", "quoted-printable"),
                   ("iso-8859-13", "quoted-printable"), ("windows-1257", "base64")],
            "ro": [("utf-8", "quoted-printable"), ("utf-8", "base64"), ("utf-8", "8bit"), ("iso-8859-2", "quoted-printable"),
                   ("windows-1250", "quoted-printable")],
            "sk": [("utf-8", "quoted-printable"), ("utf-8", "base64"), ("utf-8", "8bit"), ("iso-8859-2", "quoted-printable"),
                   ("windows-1250", "quoted-printable"), ("windows-1250", "8bit")],
            "ru": [("utf-8", "quoted-printable"), ("utf-8", "base64"), ("utf-8", "8bit"), ("windows-1251", "quoted-printable"),
                   ("windows-1251", "base64"), ("koi8-r", "base64"), ("koi8-r", "8bit"), ("windows-1251", "8bit")],
            "en": [("utf-8", "quoted-printable"), ("utf-8", "7bit"), ("utf-8", "base64")],
        }[self.lang]
        d.charset, d.cte = r.choice(choices)
        return d


# ============================================================================ people tables
def name_cols(ctx: Ctx, persons) -> list[str]:
    r = ctx.rng
    ru = any(p.nation == "ru" for p in persons)
    if ctx.L.get("last_first") or ru:
        return r.choice([["last", "first"], ["full"]] + ([["last", "first", "patronymic"]] if ru and ctx.lang == "ru" else []))
    return r.choice([["first", "last"], ["first", "last"], ["full"], ["full_rev"], ["last", "first"]])


def header_for(ctx: Ctx, col: str, kind: str | None = None) -> str:
    H = ctx.L["headers"]
    if col == "full_rev":
        return {"lv": "Uzvārds, vārds", "lt": "Pavardė, vardas", "sk": "Priezvisko a meno", "en": "Surname, name",
                "ru": "ФИО", "ro": "Nume și prenume"}[ctx.lang]
    if col == "patronymic":
        return H.get("patronymic", "Patronymic")
    if col in ("code", "code2"):
        return ctx.L["code_header"].get(kind) or EN["code_header"][kind]
    return H[col]


def cell(ctx: Ctx, p: P.Person, col: str, kind: str | None, sep: bool, numeric_codes: bool):
    if col == "first":
        return p.first
    if col == "last":
        return p.last
    if col == "patronymic":
        return p.patronymic
    if col == "full":
        return p.full
    if col == "full_rev":
        return f"{p.last} {p.first}" if p.nation != "ru" else p.full
    if col in ("code", "code2"):
        k = kind if kind in p.codes else next(iter(p.codes))
        v = C.fmt(k, p.codes[k], sep and C.has_separator_form(k))
        if numeric_codes and v.isdigit() and not v.startswith("0"):
            return int(v)
        return v
    if col == "position":
        return p.position
    if col == "dept":
        return p.department
    if col == "birth":
        return p.born
    if col == "gross":
        return float(p.gross)
    if col == "net":
        return float(p.net())
    if col == "tax":
        return float(p.tax())
    if col == "amount":
        return float(p.net())
    if col == "iban":
        return C.fmt("iban", p.iban, sep)
    if col == "hours":
        return ctx.rng.choice([168, 160, 152, 176, 144, 84, 120])
    if col == "days":
        return ctx.rng.randint(1, 28)
    if col == "start":
        return p.start
    if col == "phone":
        return p.phone
    if col == "email":
        return p.email
    if col == "tabnr":
        return f"{ctx.rng.randint(1, 999):04d}"
    raise KeyError(col)


@dataclass
class Table:
    title: str
    headers: list
    rows: list
    found: dict  # kind -> [values]
    cols: list
    persons: list


def people_table(ctx: Ctx, persons, cols: list[str], kind: str | None, sep: bool = True,
                 numeric_codes: bool = False, title_key: str = "pay", kind2: str | None = None) -> Table:
    first_kinds = {next(iter(p.codes)) for p in persons if p.codes}
    if kind and len(first_kinds) > 1 and kind not in ("ru-snils", "ru-inn"):
        kind_h = P.NATION_KIND[ctx.cl["nations"][0]]  # mixed nationalities: the column has the host's heading
    else:
        kind_h = kind
    headers = [header_for(ctx, c, kind2 if c == "code2" else kind_h) for c in cols]
    rows, found = [], collections.OrderedDict()
    for i, p in enumerate(persons, 1):
        row = []
        for c in cols:
            if c == "nr":
                row.append(i)
                continue
            v = cell(ctx, p, c, kind2 if c == "code2" else kind, sep, numeric_codes)
            row.append(v)
            if c in ("code", "code2"):
                k = (kind2 if c == "code2" else kind)
                k = k if k in p.codes else next(iter(p.codes))
                found.setdefault(k, []).append(str(v))
            elif c == "iban":
                found.setdefault("iban", []).append(v)
            elif c == "phone":
                found.setdefault("phone", []).append(v)
            elif c == "email":
                found.setdefault("email", []).append(v)
        rows.append(row)
    if any(c in cols for c in ("first", "last", "full", "full_rev")) and persons:
        found.setdefault("name", [])
    if "birth" in cols:
        found.setdefault("birth-date", [])
    if any(c in cols for c in ("gross", "net", "amount")):
        found.setdefault("salary", [])
    headers = [h if c != "nr" else ctx.L["headers"]["nr"] for h, c in zip(headers, cols)]
    return Table(ctx.L["doc_titles"][title_key], headers, rows, found, cols, list(persons))


def apply_found(d: Draft, found: dict, where: str) -> None:
    for k, vals in found.items():
        d.find(k, where, vals)


# ============================================================================ attachment builders
def ext_name(ctx: Ctx, key: str, ext: str) -> str:
    r = ctx.rng
    base = ctx.L["files"][key].format(month_file=month_file(ctx.lang, ctx.month, ctx.year, r))
    style = r.random()
    if style < 0.1:
        base += "_final"
    elif style < 0.17:
        base += f" ({r.randint(1, 4)})"
    elif style < 0.22:
        base = base.upper()
    return f"{base}.{ext}"


def csv_choice(ctx: Ctx) -> tuple[str, bool, str]:
    """(encoding, bom, delimiter)"""
    r = ctx.rng
    legacy = {"lv": "windows-1257", "lt": "windows-1257", "ro": "windows-1250", "sk": "windows-1250",
              "ru": "windows-1251", "en": "utf-8"}[ctx.lang]
    enc, bom = r.choice([("utf-8", False), ("utf-8", True), (legacy, False), (legacy, False)])
    delim = r.choice([";", ";", ";", ",", "\t"])
    return enc, bom, delim


def table_attachment(ctx: Ctx, d: Draft, t: Table, fmt: str, key: str = "pay", before=None, after=None,
                     filename: str | None = None, sheet: str | None = None) -> Att:
    """Render a people (or any) table as an attachment of format fmt; returns the Att (not yet added)."""
    r = ctx.rng
    author = ctx.sender[0]
    when = (ctx.date - datetime.timedelta(minutes=r.randint(5, 600))).replace(tzinfo=None)
    before = before if before is not None else [ctx.cl["name"], f"{ctx.month_name().capitalize()} {ctx.year}"]
    after = after if after is not None else []
    dstyle = r.choice(["dmy", "dmy", "iso"])
    name = filename or ext_name(ctx, key, fmt)
    if fmt == "csv":
        enc, bom, delim = csv_choice(ctx)
        data, used = D.csv_bytes(t.headers, t.rows, ctx.lang, delim, enc, bom, quote_all=r.random() < 0.2,
                                 dstyle=dstyle, crlf=r.random() < 0.7)
        d.notes.append(f"CSV {used}{' with BOM' if bom and used.startswith('utf') else ''}, delimiter "
                       f"{'TAB' if delim == chr(9) else repr(delim)}")
        return Att(name, data, "text/csv", used if r.random() < 0.6 else None)
    if fmt == "xlsx":
        data = D.xlsx_bytes([{"title": sheet or ctx.L["sheet"], "headers": t.headers, "rows": t.rows,
                              "pre": [t.title] if r.random() < 0.5 else []}], when, author)
        return Att(name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if fmt == "docx":
        data = D.docx_bytes(t.title, before, t.headers, t.rows, after, ctx.lang, when, author, dstyle)
        return Att(name, data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    if fmt == "pdf":
        data = D.pdf_bytes(t.title, before, t.headers, t.rows, after + [f"{ctx.L['product']} {ctx.version()[0]}"],
                           ctx.lang, author, dstyle)
        return Att(name, data, "application/pdf")
    if fmt == "html":
        data, used = D.html_document(t.title, before, t.headers, t.rows, after, ctx.lang,
                                     r.choice(["utf-8", "utf-8", d.charset]), dstyle)
        return Att(name, data, "text/html", used)
    raise KeyError(fmt)


XML_SCHEMAS = {
    "lv": ("DokDDZv2", "Darbinieks", {"first": "Vards", "last": "Uzvards", "code": "PersonasKods", "gross": "Ienakumi",
                                     "hours": "Stundas", "iban": "Konts", "amount": "Summa", "full": "VardsUzvards"}),
    "lt": ("SAM3SD", "Apdraustasis", {"first": "Vardas", "last": "Pavarde", "code": "AsmensKodas", "gross": "Pajamos",
                                      "hours": "Valandos", "iban": "Saskaita", "amount": "Suma", "full": "VardasPavarde"}),
    "ro": ("declaratieUnica", "asigurat", {"first": "prenAsig", "last": "numeAsig", "code": "cnpAsig", "gross": "venitBrut",
                                           "hours": "nrOre", "iban": "iban", "amount": "suma", "full": "numePrenume"}),
    "sk": ("MesacnyVykaz", "Zamestnanec", {"first": "Meno", "last": "Priezvisko", "code": "RodneCislo", "gross": "VZ",
                                           "hours": "Hodiny", "iban": "IBAN", "amount": "Suma", "full": "MenoPriezvisko"}),
    "ru": ("ЕФС-1", "ЗЛ", {"first": "Имя", "last": "Фамилия", "patronymic": "Отчество", "code": "СНИЛС", "code2": "ИНН",
                           "gross": "Сумма", "hours": "Часы", "full": "ФИО", "iban": "Счет", "amount": "Сумма"}),
}
XML_SCHEMAS["en"] = XML_SCHEMAS["lv"]


def xml_attachment(ctx: Ctx, t: Table) -> Att:
    root, rec, fmap = XML_SCHEMAS[ctx.cl["lang"]]
    cols = [c for c in t.cols if c in fmap]
    idx = [t.cols.index(c) for c in cols]
    rows = [[row[i] for i in idx] for row in t.rows]
    attrs = {"versija" if ctx.lang == "lv" else "version": "2", "periods" if ctx.lang == "lv" else "period":
             f"{ctx.year}-{ctx.month:02d}"}
    data = D.xml_bytes(root if not root[0].isdigit() else "R" + root, attrs, rec, [fmap[c] for c in cols], rows, ctx.lang)
    name = ext_name(ctx, "report", "xml")
    return Att(name, data, "application/xml")


# ============================================================================ body text helpers
def person_line(ctx: Ctx, p: P.Person, kind: str, sep: bool, tpl: str | None = None) -> tuple[str, str]:
    r = ctx.rng
    code = C.fmt(kind, p.codes[kind], sep and C.has_separator_form(kind))
    labels = ctx.L["code_label"].get(kind) or EN["code_label"][kind]
    tpl = tpl or r.choice(ctx.L["person_lines"])
    d1 = ctx.date.date() - datetime.timedelta(days=r.randint(10, 40))
    d2 = d1 + datetime.timedelta(days=r.randint(5, 20))
    name = p.full if r.random() < 0.85 or p.nation != "ru" else p.short
    text = gender(tpl, p.sex).format(name=name, cl=r.choice(labels), code=code, month=ctx.month_name(),
                                     month_g=ctx.month_name(True), d1=ctx.dmy(d1), d2=ctx.dmy(d2),
                                     n=(d2 - d1).days - r.randint(1, 3))
    return text, code


def fill(ctx: Ctx, tpl: str, vals: dict | None = None) -> str:
    vals = vals or {}
    err = ctx.pick("err_text")
    if ctx.lang == "ru" and ctx.cid != "krylov":
        err = ctx.rng.choice(["Неверный формат персонального кода", "Дублирующая запись", "Darbinieks nav atrasts"])
    base = dict(month=ctx.month_name(), month_g=ctx.month_name(True), ver=ctx.version()[0], year=ctx.year,
                err_text=err, date=ctx.pay_date(), cur=ctx.currency())
    base.update(vals)
    return tpl.format(**base)


def issue(ctx: Ctx, key: str = "pay_issues") -> tuple[str, str]:
    L = ctx.L
    if ctx.lang == "ru" and ctx.cid == "acme" and key == "pay_issues":
        key = "pay_issues_lv"
    subj, body = ctx.rng.choice(L[key])
    return fill(ctx, subj), fill(ctx, body)


def quoted(text: str, depth: int = 1) -> str:
    pre = ">" * depth + " "
    return "\n".join((pre + line) if line else pre.rstrip() for line in text.split("\n"))


def reply_block(ctx: Ctx, earlier: str | None = None) -> str:
    """An agent's answer quoting (optionally) the client's earlier message, as the client's mail program quotes it."""
    r = ctx.rng
    agent = AGENTS["lt" if ctx.lang == "lt" else "lv"]
    when = (ctx.date - datetime.timedelta(days=r.randint(1, 5))).replace(hour=r.randint(9, 16), minute=r.randint(0, 59))
    hdr = ctx.L["reply_header"].format(date=when.strftime("%d.%m.%Y %H:%M"), name=f"{agent[0]} <{agent[1]}>")
    agent_text = r.choice(ctx.L["agent_reply"]) + "\n\n" + agent[0] + "\n" + VENDOR["name"]
    inner = agent_text
    if earlier:
        when2 = when - datetime.timedelta(hours=r.randint(2, 30))
        hdr2 = ctx.L["reply_header"].format(date=when2.strftime("%d.%m.%Y %H:%M"),
                                            name=f"{ctx.sender[0]} <{ctx.sender[1]}>")
        inner += "\n\n" + hdr2 + "\n" + quoted(earlier)
    return hdr + "\n" + quoted(inner)


def fwd_inline(ctx: Ctx, subject: str, sender: str, text: str) -> str:
    r = ctx.rng
    when = ctx.date - datetime.timedelta(hours=r.randint(1, 72))
    head = ctx.L["fwd_header"].format(subject=subject, date=when.strftime("%d.%m.%Y %H:%M"), sender=sender,
                                      to=f"{ctx.sender[0]} <{ctx.sender[1]}>")
    return head + "\n\n" + text


def inner_draft(ctx: Ctx, subject: str, text: str | None, sender: tuple, html: str | None = None) -> Draft:
    """A message as it was received by the client (to be attached as message/rfc822)."""
    r = ctx.rng
    d = Draft(rng=r, client=ctx.cid, lang=ctx.lang, sender=tuple(sender[:2]) + ("", "", ""),
              date=ctx.date - datetime.timedelta(hours=r.randint(2, 96)))
    d.subject = subject
    d.text = text
    d.html = html
    d.to = f"{ctx.sender[0]} <{ctx.sender[1]}>"
    d.msgid = f"<{r.getrandbits(64):016x}.{r.randint(1000, 9999)}@{sender[1].split('@')[1]}>"
    d.charset, d.cte = r.choice([("utf-8", "quoted-printable"), ("utf-8", "base64"), ("utf-8", "8bit")])
    d.mailer = r.choice(MAILERS)
    return d


def colleague(ctx: Ctx) -> tuple:
    """Another staff member of the client (sender of a forwarded message): (name, address, positions...)."""
    others = [s for s in ctx.cl["staff"] if s[1] != ctx.sender[1]]
    return ctx.rng.choice(others)


# ============================================================================ personal scenarios
CODE_KIND_CLIENT = {"lv-personas-kods": ["acme"], "lt-asmens-kodas": ["baltic"], "ro-cnp": ["carpat"],
                    "sk-rodne-cislo": ["tatra"], "cz-rodne-cislo": ["tatra"], "ee-isikukood": ["acme", "baltic"],
                    "pl-pesel": ["baltic", "tatra"], "ru-snils": ["krylov"], "ru-inn": ["krylov"]}


def persons_for(ctx: Ctx, kind: str, n: int, mix: bool = True) -> list[P.Person]:
    """n employees; the first carries ``kind``; in Baltic/Slovak firms some rows may be of the host nationality."""
    r = ctx.rng
    nation = P.KIND_NATION[kind]
    host = ctx.cl["nations"][0]
    out = []
    for i in range(n):
        if kind in ("ru-snils", "ru-inn"):
            out.append(ctx.person("ru", ("ru-snils", "ru-inn")))
        elif i == 0 or not mix or nation == host or r.random() < 0.55:
            out.append(ctx.person(nation, (kind,)))
        else:
            out.append(ctx.person(host, (P.NATION_KIND[host],)))
    r.shuffle(out)
    return out


def pay_cols(ctx: Ctx, persons, kind: str, key: str) -> list[str]:
    r = ctx.rng
    names = name_cols(ctx, persons)
    nr = ["nr"] if r.random() < 0.6 else (["tabnr"] if r.random() < 0.3 else [])
    codes = ["code"]
    if kind in ("ru-snils", "ru-inn"):
        codes = r.choice([["code", "code2"], ["code"]]) if kind == "ru-snils" else r.choice([["code2", "code"], ["code"]])
    if key == "pay":
        tail = r.choice([["gross", "tax", "net"], ["position", "gross"], ["gross", "net"], ["hours", "gross"]])
    elif key == "sick":
        tail = r.choice([["days"], ["position", "days"]])
    elif key == "vac":
        tail = r.choice([["days"], ["dept", "days"], ["position", "days", "gross"]])
    elif key == "import_":
        tail = r.choice([["birth", "position", "start"], ["position", "dept", "start"], ["position", "start", "email"],
                         ["start", "phone"]])
    elif key == "report":
        tail = r.choice([["gross"], ["hours", "gross"]])
    else:
        tail = ["position"]
    return nr + names + codes + tail


def build_code_message(ctx: Ctx, kind: str, carrier: str, tricky: str | None = None) -> Draft:
    r = ctx.rng
    d = ctx.draft()
    L = ctx.L
    sep = r.random() < 0.75 if C.has_separator_form(kind) else False
    kind2 = "ru-inn" if kind == "ru-snils" else ("ru-snils" if kind == "ru-inn" else None)
    subj, lead = issue(ctx)
    if r.random() < 0.12:
        subj = L["reply_subject"].format(subject=subj)
    d.subject = subj
    paras = [lead]
    body_notes = []

    def people_tab(key: str, n: int | None = None) -> Table:
        n = n or r.randint(2, 7)
        persons = persons_for(ctx, kind, n)
        cols = pay_cols(ctx, persons, kind, key)
        numeric = r.random() < 0.25 and not sep
        return people_table(ctx, persons, cols, kind, sep, numeric, key, kind2)

    if carrier in ("body-text", "html-text", "subject", "fwd-body-text", "letter-docx", "letter-pdf", "reply-quoted"):
        n = r.randint(1, 3)
        persons = persons_for(ctx, kind, n)
        lines, found = [], collections.OrderedDict()
        tpls = r.sample(L["person_lines"], k=min(n, len(L["person_lines"])))
        for p, tpl in zip(persons, tpls):
            k = kind if kind in p.codes else next(iter(p.codes))
            line, code = person_line(ctx, p, k, sep, tpl)
            if kind2 and r.random() < 0.35 and kind2 in p.codes:
                c2 = C.fmt(kind2, p.codes[kind2], sep)
                line = line.rstrip(".") + f", {(L['code_label'].get(kind2) or EN['code_label'][kind2])[0]} {c2}."
                found.setdefault(kind2, []).append(c2)
            lines.append(line)
            found.setdefault(k, []).append(code)
        found["name"] = []
        text_block = "\n".join(lines) if r.random() < 0.5 else " ".join(lines)
        if carrier == "body-text":
            paras.append(text_block)
            apply_found(d, found, "body")
            body_notes.append("codes in running text")
        elif carrier == "html-text":
            paras.append(text_block)
            apply_found(d, found, "body")
            d.html_only = True  # type: ignore[attr-defined]
            body_notes.append("codes in running text of an HTML-only body")
        elif carrier == "subject":
            p = persons[0]
            k = kind if kind in p.codes else next(iter(p.codes))
            code = C.fmt(k, p.codes[k], sep)
            d.subject = f"{subj} — {p.full} {code}" if r.random() < 0.5 else f"{p.full} ({code}): {subj}"
            d.find(k, "subject", [code])
            d.find("name", "subject")
            if r.random() < 0.5:
                paras.append(text_block)
                apply_found(d, found, "body")
                body_notes.append("code in the subject and in the body")
            else:
                body_notes.append("code only in the subject")
        elif carrier == "fwd-body-text":
            col = colleague(ctx)
            inner_text = ctx.frame([lead, text_block], own_mobile=False, sig_full=False, who=col)
            fname = r.choice(["fwd.eml", "Pārsūtīts.eml" if ctx.lang == "lv" else "forwarded.eml", f"{subj[:40]}.eml"])
            fname = re.sub(r'[\\/:*?"<>|]', "_", fname)
            inner = inner_draft(ctx, subj, inner_text, col)
            d.atts.append(Att(fname, inner, "message/rfc822"))
            paras = [ctx.pick("intro_fwd")]
            apply_found(d, found, fname)
            body_notes.append("codes in the body of a forwarded message (message/rfc822)")
        elif carrier in ("letter-docx", "letter-pdf"):
            fmt = carrier.split("-")[1]
            t = Table(ctx.L["doc_titles"]["sick"], None, [], found, [], persons)
            name = ext_name(ctx, "sick", fmt)
            before = [ctx.cl["name"], ctx.dmy()] + lines
            when = (ctx.date - datetime.timedelta(hours=2)).replace(tzinfo=None)
            if fmt == "docx":
                data = D.docx_bytes(t.title, before, None, [], [ctx.sender[0]], ctx.lang, when, ctx.sender[0])
                att = Att(name, data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            else:
                data = D.pdf_bytes(t.title, before, None, [], [ctx.sender[0]], ctx.lang, ctx.sender[0])
                att = Att(name, data, "application/pdf")
            d.atts.append(att)
            paras.append(ctx.pick("intro_attach").format(file=name))
            apply_found(d, found, name)
            body_notes.append(f"codes in running text inside a {fmt.upper()} letter")
        elif carrier == "reply-quoted":
            earlier = "\n\n".join([lead, text_block])
            paras = [r.choice({"lv": ["Vai ir kādas ziņas par šo?", "Atsūtu vēlreiz — vai varat paskatīties?"],
                               "lt": ["Ar yra naujienų?", "Gal jau pažiūrėjote?"],
                               "ro": ["Aveți vreo noutate?", "Ați reușit să verificați?"],
                               "sk": ["Máte už nejaké informácie?", "Podarilo sa to pozrieť?"],
                               "ru": ["Есть новости по этому вопросу?", "Удалось посмотреть?"],
                               "en": ["Any news on this?", "Did you have a chance to look?"]}[ctx.lang])]
            d.subject = L["reply_subject"].format(subject=subj)
            d.quote = reply_block(ctx, earlier)  # type: ignore[attr-defined]
            apply_found(d, found, "body")
            body_notes.append("codes only in the quoted earlier message of a reply")
    else:
        key = r.choice(["pay", "pay", "sick", "vac", "import_", "report"])
        t = people_tab(key)
        if carrier in ("body-table", "alt", "body-html"):
            style = r.choice(["tab", "pipe", "aligned", "semicolon"])
            paras.append(ctx.pick("intro_table") + "\n\n" + D.plain_table(t.headers, t.rows, ctx.lang, style))
            apply_found(d, t.found, "body")
            if carrier == "body-html":
                d.html_only = True  # type: ignore[attr-defined]
                d.html_table = t  # type: ignore[attr-defined]
                body_notes.append("table in an HTML-only body")
            elif carrier == "alt":
                d.html_table = t  # type: ignore[attr-defined]
                body_notes.append("table in text/plain + text/html alternative")
            else:
                body_notes.append(f"table pasted in the plain-text body ({style})")
        elif carrier in ("csv", "xlsx", "docx", "pdf", "html"):
            att = table_attachment(ctx, d, t, carrier, key)
            d.atts.append(att)
            paras.append(ctx.pick("intro_attach").format(file=att.filename))
            apply_found(d, t.found, att.filename)
            body_notes.append(f"{carrier.upper()} attachment")
        elif carrier == "xml":
            att = xml_attachment(ctx, t)
            d.atts.append(att)
            paras.append(ctx.pick("intro_attach").format(file=att.filename))
            apply_found(d, t.found, att.filename)
            body_notes.append("XML declaration file attachment")
        elif carrier == "zip":
            inner_fmt = r.choice(["csv", "xlsx", "pdf", "docx"])
            att = table_attachment(ctx, d, t, inner_fmt, key)
            members = [(att.filename, att.data)]
            if r.random() < 0.5:
                members.append(("readme.txt" if ctx.lang == "en" else "info.txt",
                                D.encode_text(f"{ctx.L['product']} {ctx.version()[0]}\n{ctx.cl['name']}\n"
                                              f"{ctx.year}-{ctx.month:02d}\n", "utf-8")[0]))
            zname = ext_name(ctx, "zip", "zip")
            d.atts.append(Att(zname, D.zip_bytes(members, ctx.date.replace(tzinfo=None)), "application/zip"))
            paras.append(ctx.pick("intro_attach").format(file=zname))
            apply_found(d, t.found, f"{zname}/{att.filename}")
            body_notes.append(f"ZIP archive containing {inner_fmt.upper()}")
        elif carrier in ("fwd-body", "fwd-att", "fwd-inline"):
            col = colleague(ctx)
            isubj = r.choice(L["pay_issues"])[0].format(month=ctx.month_name(), month_g=ctx.month_name(True),
                                                         ver="", year=ctx.year)
            if carrier == "fwd-inline":
                inner_text = ctx.frame([ctx.pick("intro_table"), D.plain_table(t.headers, t.rows, ctx.lang, "tab")],
                                       sig_full=False, who=col)
                paras.append(fwd_inline(ctx, isubj, f"{col[0]} <{col[1]}>", inner_text))
                apply_found(d, t.found, "body")
                body_notes.append("table inside an inline-forwarded message in the body")
            else:
                fname = r.choice(["fwd.eml", f"{isubj[:30]}.eml", "ForwardedMessage.eml"])
                fname = re.sub(r'[\\/:*?"<>|]', "_", fname)
                if carrier == "fwd-body":
                    inner_text = ctx.frame([ctx.pick("intro_table"), D.plain_table(t.headers, t.rows, ctx.lang, "pipe")],
                                           sig_full=False, who=col)
                    inner = inner_draft(ctx, isubj, inner_text, col)
                    apply_found(d, t.found, fname)
                    body_notes.append("table in the body of a forwarded message/rfc822")
                else:
                    fmt = r.choice(["xlsx", "csv", "pdf"])
                    att = table_attachment(ctx, d, t, fmt, key)
                    inner_text = ctx.frame([ctx.pick("intro_attach").format(file=att.filename)],
                                           sig_full=False, who=col)
                    inner = inner_draft(ctx, isubj, inner_text, col)
                    inner.atts.append(att)
                    apply_found(d, t.found, f"{fname}/{att.filename}")
                    body_notes.append(f"{fmt.upper()} attached to a forwarded message/rfc822")
                d.atts.append(Att(fname, inner, "message/rfc822"))
                paras.append(ctx.pick("intro_fwd"))
        else:
            raise KeyError(carrier)
    paras.append(fill(ctx, ctx.pick("request")))
    d.text = ctx.frame(paras, own_mobile=r.random() < 0.2)
    if getattr(d, "quote", None):
        d.text += "\n\n" + d.quote  # type: ignore[attr-defined]
    d.notes = body_notes + d.notes
    return d


# ---------------------------------------------------------------------------- other personal kinds
def build_other_personal(ctx: Ctx, kind: str, carrier: str) -> Draft:
    r = ctx.rng
    d = ctx.draft()
    L = ctx.L
    host = ctx.cl["nations"][0]
    notes = []
    if kind in ("name", "iban") or (kind in ("birth-date", "salary") and carrier not in
                                   ("body-text", "html-text", "fwd-body-text", "fwd-inline", "letter-docx")):
        if kind == "name":
            subj, lead = r.choice(L["list_issues"])
            persons = [ctx.person(host) for _ in range(r.randint(3, 9))]
            cols = (["nr"] if r.random() < 0.5 else []) + name_cols(ctx, persons) + r.choice(
                [["position"], ["position", "dept"], ["dept", "position", "start"], ["position", "start"]])
            t = people_table(ctx, persons, cols, None, True, False, "list")
        elif kind == "iban":
            subj, lead = r.choice(L["iban_issues"])
            subj, lead = fill(ctx, subj), fill(ctx, lead)
            persons = [ctx.person(host) for _ in range(r.randint(2, 8))]
            cols = name_cols(ctx, persons) + ["iban", "amount"]
            sep = r.random() < 0.6
            t = people_table(ctx, persons, cols, None, sep, False, "bank")
        elif kind == "birth-date":
            subj, lead = issue(ctx)
            persons = [ctx.person(host) for _ in range(r.randint(2, 6))]
            cols = name_cols(ctx, persons) + ["birth"] + r.choice([["position"], ["position", "start"], ["dept"]])
            t = people_table(ctx, persons, cols, None, True, False, "list")
        else:  # salary table without codes
            subj, lead = issue(ctx)
            persons = [ctx.person(host) for _ in range(r.randint(2, 8))]
            cols = name_cols(ctx, persons) + r.choice([["gross", "net"], ["position", "gross"], ["gross", "tax", "net"]])
            t = people_table(ctx, persons, cols, None, True, False, "pay")
        d.subject = subj
        paras = [lead]
        if carrier in ("body-table", "alt", "body-html"):
            style = r.choice(["tab", "pipe", "aligned"])
            paras.append(ctx.pick("intro_table") + "\n\n" + D.plain_table(t.headers, t.rows, ctx.lang, style))
            apply_found(d, t.found, "body")
            if carrier != "body-table":
                d.html_table = t  # type: ignore[attr-defined]
                d.html_only = carrier == "body-html"  # type: ignore[attr-defined]
            notes.append({"body-table": "table pasted in the plain-text body", "alt": "table in text+HTML alternative",
                          "body-html": "table in an HTML-only body"}[carrier])
        elif carrier == "zip":
            fmt = r.choice(["xlsx", "csv"])
            att = table_attachment(ctx, d, t, fmt, "list" if kind == "name" else "bank")
            zname = ext_name(ctx, "zip", "zip")
            d.atts.append(Att(zname, D.zip_bytes([(att.filename, att.data)], ctx.date.replace(tzinfo=None)), "application/zip"))
            paras.append(ctx.pick("intro_attach").format(file=zname))
            apply_found(d, t.found, f"{zname}/{att.filename}")
            notes.append(f"ZIP with {fmt.upper()}")
        elif carrier == "fwd-att":
            col = colleague(ctx)
            att = table_attachment(ctx, d, t, r.choice(["xlsx", "csv"]), "list" if kind == "name" else "bank")
            inner = inner_draft(ctx, subj, ctx.frame([ctx.pick("intro_attach").format(file=att.filename)],
                                                     sig_full=False, who=col), col)
            inner.atts.append(att)
            fname = "fwd.eml"
            d.atts.append(Att(fname, inner, "message/rfc822"))
            paras.append(ctx.pick("intro_fwd"))
            apply_found(d, t.found, f"{fname}/{att.filename}")
            notes.append("attachment of a forwarded message/rfc822")
        elif carrier == "xml" and kind == "iban":
            rows = [[p.full, C.fmt("iban", p.iban, False), p.net()] for p in t.persons]
            data = D.xml_bytes("Document", {"xmlns": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}, "CdtTrfTxInf",
                               ["Nm", "IBAN", "InstdAmt"], rows, ctx.lang)
            name = f"pain001_{ctx.year}{ctx.month:02d}.xml"
            d.atts.append(Att(name, data, "application/xml"))
            paras.append(ctx.pick("intro_attach").format(file=name))
            d.find("name", name)
            d.find("iban", name, [row[1] for row in rows])
            d.find("salary", name)
            notes.append("SEPA pain.001 XML with employees' names, IBANs and amounts")
        else:
            att = table_attachment(ctx, d, t, carrier, "list" if kind == "name" else ("bank" if kind == "iban" else "pay"))
            d.atts.append(att)
            paras.append(ctx.pick("intro_attach").format(file=att.filename))
            apply_found(d, t.found, att.filename)
            notes.append(f"{carrier.upper()} attachment")
        if kind == "name":
            notes.insert(0, "employee list with names and positions, no codes")
        elif kind == "iban":
            notes.insert(0, "salary payment list with employees' IBANs")
        elif kind == "birth-date":
            notes.insert(0, "names with dates of birth, no codes")
        else:
            notes.insert(0, "names with pay amounts, no codes")
    else:
        subj, lead = issue(ctx)
        d.subject = subj
        n = r.randint(1, 2)
        persons = [ctx.person(host) for _ in range(n)]
        lines = []
        found = collections.OrderedDict()
        for p in persons:
            amt = D.fmt_amount(p.gross, ctx.lang if ctx.lang == "en" else ctx.cl["lang"], r.random() < 0.4)
            vals = dict(name=p.full, bd=ctx.dmy(p.born) if r.random() < 0.8 else p.born.strftime("%d.%m.%y"),
                        amt=amt, amt2=D.fmt_amount(p.net() * 0.93, ctx.cl["lang"] if ctx.lang != "en" else "en"),
                        amt3=D.fmt_amount(p.gross / 21.3, ctx.cl["lang"] if ctx.lang != "en" else "en"),
                        tax=D.fmt_amount(p.tax(), ctx.cl["lang"] if ctx.lang != "en" else "en"),
                        phone=p.phone, email=p.email, cur=ctx.currency())
            key = {"birth-date": "bd_lines", "salary": "salary_lines", "phone": "phone_lines", "email": "email_lines"}[kind]
            line = gender(r.choice(L[key]), p.sex).format(**vals)
            lines.append(line if line.endswith(".") else line + ".")
            if kind == "birth-date":
                found["birth-date"] = []
                found["name"] = []
            elif kind == "salary":
                found["salary"] = []
                found["name"] = []
            elif kind == "phone":
                found.setdefault("phone", []).append(p.phone)
            else:
                found.setdefault("email", []).append(p.email)
        block = " ".join(lines)
        paras = [lead]
        if carrier in ("body-text", "html-text"):
            paras.append(block)
            apply_found(d, found, "body")
            if carrier == "html-text":
                d.html_only = True  # type: ignore[attr-defined]
            notes.append({"birth-date": "name with date of birth in running text", "salary": "named person's pay in "
                          "running text", "phone": "a colleague's/employee's private mobile number in a sentence",
                          "email": "an employee's private e-mail address in a sentence"}[kind]
                         + (" (HTML-only body)" if carrier == "html-text" else ""))
        elif carrier == "fwd-inline":
            col = colleague(ctx)
            inner_text = ctx.frame([block], sig_full=False, who=col)
            paras.append(fwd_inline(ctx, subj, f"{col[0]} <{col[1]}>", inner_text))
            apply_found(d, found, "body")
            notes.append(f"{kind} inside an inline-forwarded message")
        elif carrier == "fwd-body-text":
            col = colleague(ctx)
            inner_text = ctx.frame([block], sig_full=False, who=col)
            inner = inner_draft(ctx, subj, inner_text, col)
            d.atts.append(Att("fwd.eml", inner, "message/rfc822"))
            paras = [ctx.pick("intro_fwd")]
            apply_found(d, found, "fwd.eml")
            notes.append(f"{kind} in the body of a forwarded message/rfc822")
        elif carrier == "letter-docx":
            name = ext_name(ctx, "list", "docx")
            when = (ctx.date - datetime.timedelta(hours=3)).replace(tzinfo=None)
            data = D.docx_bytes(ctx.L["doc_titles"]["list"], [ctx.cl["name"]] + lines, None, [], [], ctx.lang, when,
                                ctx.sender[0])
            d.atts.append(Att(name, data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
            paras.append(ctx.pick("intro_attach").format(file=name))
            apply_found(d, found, name)
            notes.append(f"{kind} in running text of a DOCX")
        else:
            raise KeyError(carrier)
    paras.append(fill(ctx, ctx.pick("request")))
    d.text = ctx.frame(paras, own_mobile=r.random() < 0.2)
    d.notes = notes + d.notes
    return d


# ============================================================================ tricky personal
def build_tricky_personal(ctx: Ctx, trick: str, kind: str) -> Draft:
    r = ctx.rng
    L = ctx.L
    if trick in ("qp-split", "html-split", "spaces", "translit", "log-line"):
        d = ctx.draft()
        subj, lead = issue(ctx)
        d.subject = subj
        p = persons_for(ctx, kind, 1)[0]
        k = kind if kind in p.codes else next(iter(p.codes))
        sep = C.has_separator_form(k) and r.random() < 0.7
        code = C.fmt(k, p.codes[k], sep)
        if trick == "qp-split":
            d.charset, d.cte = r.choice([("utf-8", "quoted-printable"), (d.charset if d.cte == "quoted-printable"
                                                                         else "utf-8", "quoted-printable")])
            line, code = person_line(ctx, p, k, sep)
            d.qp_probe = code  # type: ignore[attr-defined]
            d.long_para = lead + " " + line  # type: ignore[attr-defined]
            paras = [None]
            d.find(k, "body", [code])
            d.find("name", "body")
            d.notes.append(TRICK + "one very long quoted-printable line: the code is cut by a QP soft line break "
                           "in the raw message")
        elif trick == "html-split":
            line, code = person_line(ctx, p, k, sep)
            d.html_only = True  # type: ignore[attr-defined]
            digits = code
            cut = r.randint(2, len(digits) - 3)
            if "-" in digits and r.random() < 0.5:
                html_code = digits.replace("-", "&#45;")
                how = "its hyphen written as the entity &#45;"
            else:
                html_code = (f'<span style="mso-bidi-font-family:Calibri">{digits[:cut]}</span>'
                             f'<span lang="{ctx.lang.upper()}">{digits[cut:]}</span>')
                how = "split across two <span> elements"
            d.html_code = (line, code, html_code)  # type: ignore[attr-defined]
            paras = [lead, line]
            d.find(k, "body", [code])
            d.find("name", "body")
            d.notes.append(TRICK + f"HTML-only body; the code is {how}")
        elif trick == "spaces":
            raw = p.codes[k]
            if k == "lv-personas-kods" or k in ("sk-rodne-cislo", "cz-rodne-cislo"):
                code = f"{raw[:6]} {raw[6:]}"
            elif k == "ru-snils":
                code = f"{raw[:3]} {raw[3:6]} {raw[6:9]} {raw[9:]}"
            else:
                code = f"{raw[:1]} {raw[1:7]} {raw[7:]}" if len(raw) == 11 else f"{raw[:4]} {raw[4:8]} {raw[8:]}"
            labels = L["code_label"].get(k) or EN["code_label"][k]
            paras = [lead, f"{p.full}, {r.choice(labels)} {code}"]
            d.find(k, "body", [code])
            d.find("name", "body")
            d.notes.append(TRICK + "code written with spaces instead of the usual separator (or none)")
        elif trick == "translit":
            raw = p.codes[k]
            gross = D.fmt_amount(p.gross, "en")
            paras = [lead, f"{p.ascii_full} {raw} {gross} {ctx.date.date().isoformat()} {r.randint(100, 999)}"]
            d.find(k, "body", [raw])
            d.find("name", "body")
            d.find("salary", "body")
            d.notes.append(TRICK + "name without diacritics, compact code inside a line of other numbers "
                           "(amount, ISO date, counter)")
        else:  # log-line
            ver = ctx.version()
            ll = ctx.logline(2).split("\n")
            bad = (f"{ctx.date:%Y-%m-%d} {r.randint(8, 17):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d},"
                   f"{r.randint(0, 999):03d} ERROR [payroll.export] Validation failed for employee {code} "
                   f"({p.last} {p.first}): field 'IncomeType' is empty (code {r.choice(ERR_CODES)})")
            logtext = "\n".join([ll[0], bad, ll[1]])
            if r.random() < 0.5:
                paras = [lead, f"{L['product']} {ver[0]} (build {ver[2]}):\n\n" + logtext]
                d.find(k, "body", [code])
                d.find("name", "body")
                d.notes.append(TRICK + "looks like a technical error report; one log line in the body names an "
                               "employee with the code")
            else:
                name = r.choice(["payroll.log", "error.log", "app.log"])
                d.atts.append(Att(name, D.encode_text(logtext + "\n", "utf-8")[0], "text/plain", "utf-8"))
                paras = [lead, ctx.pick("attach_clean").format(file=name)]
                d.find(k, name, [code])
                d.find("name", name)
                d.notes.append(TRICK + "looks like a technical error report; one line of the attached log names an "
                               "employee with the code")
        paras = [x for x in paras if x]
        paras.append(fill(ctx, ctx.pick("request")))
        d.text = ctx.frame(paras)
        return d

    if trick == "deid-miss":
        d = ctx.draft()
        subj, lead = issue(ctx)
        d.subject = subj
        persons = persons_for(ctx, kind, r.randint(4, 7), mix=False)
        cols = name_cols(ctx, persons)
        cols = ["nr"] + cols + ["code", "gross"]
        t = people_table(ctx, persons, cols, kind, C.has_separator_form(kind), False, "pay")
        keep = r.randrange(len(t.rows))
        deid_names = L["deid_names"]
        masked_rows = []
        for i, row in enumerate(t.rows):
            if i == keep:
                masked_rows.append(row)
                continue
            new = []
            for c, v in zip(cols, row):
                if c in ("first", "last", "full", "full_rev", "patronymic"):
                    new.append("***" if c != cols[1] else f"{deid_names[0].split()[0]} {i + 1}")
                elif c == "code":
                    new.append(re.sub(r"\d", "X", str(v)))
                else:
                    new.append(v)
            masked_rows.append(new)
        real = t.rows[keep]
        code = str(real[cols.index("code")])
        fmt = r.choice(["body", "xlsx", "csv"])
        paras = [lead, r.choice(L["deid"])]
        if fmt == "body":
            paras.append(D.plain_table(t.headers, masked_rows, ctx.lang, "tab"))
            where = "body"
        else:
            t2 = Table(t.title, t.headers, masked_rows, {}, cols, persons)
            att = table_attachment(ctx, d, t2, fmt, "pay")
            d.atts.append(att)
            paras.append(ctx.pick("intro_attach").format(file=att.filename))
            where = att.filename
        d.find(kind, where, [code])
        d.find("name", where)
        d.find("salary", where)
        paras.append(fill(ctx, ctx.pick("request")))
        d.text = ctx.frame(paras)
        d.notes.append(TRICK + f"table claims to be de-identified (XXX codes, '***'), but row {keep + 1} still has "
                       "the real name and code")
        return d

    if trick == "hidden-sheet":
        d = ctx.draft()
        subj, lead = issue(ctx)
        d.subject = subj
        persons = persons_for(ctx, kind, r.randint(3, 8))
        cols = ["nr"] + name_cols(ctx, persons) + ["code", "gross"]
        t = people_table(ctx, persons, cols, kind, True, False, "pay", None)
        summary = [[ctx.L["headers"]["dept"], ctx.L["headers"]["gross"]]]
        depts = collections.Counter()
        for p in persons:
            depts[p.department] += p.gross
        when = ctx.date.replace(tzinfo=None)
        data = D.xlsx_bytes([{"title": {"lv": "Kopsavilkums", "lt": "Suvestinė", "ro": "Sumar", "sk": "Súhrn",
                                        "ru": "Свод", "en": "Summary"}[ctx.lang], "headers": summary[0],
                              "rows": [[k, float(v)] for k, v in depts.items()]},
                             {"title": {"lv": "Detalizācija", "lt": "Detalizacija", "ro": "Detalii", "sk": "Detail",
                                        "ru": "Детализация", "en": "Details"}[ctx.lang], "headers": t.headers,
                              "rows": t.rows, "hidden": r.random() < 0.5}], when, ctx.sender[0])
        name = ext_name(ctx, "pay", "xlsx")
        d.atts.append(Att(name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        apply_found(d, t.found, name)
        d.text = ctx.frame([lead, ctx.pick("intro_attach").format(file=name), fill(ctx, ctx.pick("request"))])
        d.notes.append(TRICK + "XLSX whose first sheet is a harmless department summary; the names and codes are on "
                       "the second (sometimes hidden) sheet")
        return d

    if trick == "fwd-zip":
        d = ctx.draft()
        subj, lead = issue(ctx)
        d.subject = ctx.L["fwd_subject"].format(subject=subj)
        persons = persons_for(ctx, kind, r.randint(3, 6))
        cols = name_cols(ctx, persons) + ["code", "gross"]
        t = people_table(ctx, persons, cols, kind, True, False, "pay", None)
        att = table_attachment(ctx, d, t, "csv", "pay")
        zname = ext_name(ctx, "zip", "zip")
        z = D.zip_bytes([(att.filename, att.data)], ctx.date.replace(tzinfo=None))
        col = colleague(ctx)
        inner = inner_draft(ctx, subj, ctx.frame([lead, ctx.pick("intro_attach").format(file=zname)],
                                                 sig_full=False, who=col), col)
        inner.atts.append(Att(zname, z, "application/zip"))
        d.atts.append(Att("fwd.eml", inner, "message/rfc822"))
        apply_found(d, t.found, f"fwd.eml/{zname}/{att.filename}")
        d.text = ctx.frame([ctx.pick("intro_fwd")])
        d.notes.append(TRICK + "CSV inside a ZIP inside a forwarded message/rfc822 (three levels deep)")
        return d

    if trick in ("octet-stream", "no-header", "rfc2231-name"):
        d = ctx.draft()
        subj, lead = issue(ctx)
        d.subject = subj
        persons = persons_for(ctx, kind, r.randint(2, 6))
        cols = name_cols(ctx, persons) + ["code"] + r.choice([["gross"], ["position"], ["days"]])
        t = people_table(ctx, persons, cols, kind, True, False, "pay", None)
        if trick == "octet-stream":
            enc, bom, delim = csv_choice(ctx)
            data, used = D.csv_bytes(t.headers, t.rows, ctx.lang, delim, enc, bom)
            name = r.choice(["export.dat", "EXPORT", "algas.txt" if ctx.lang == "lv" else "data.txt", "report.tmp"])
            d.atts.append(Att(name, data, "application/octet-stream"))
            note = TRICK + f"CSV data ({used}) sent as application/octet-stream under a non-.csv name"
        elif trick == "no-header":
            enc, bom, delim = csv_choice(ctx)
            data, used = D.csv_bytes(None, t.rows, ctx.lang, delim, enc, False)
            name = ext_name(ctx, "import_", "csv")
            d.atts.append(Att(name, data, "text/csv"))
            note = TRICK + f"CSV without a header row ({used}); names and codes must be recognised by shape"
        else:
            name = {"lv": "Algu saraksts — oktobris.xlsx", "lt": "Darbo užmokesčio žiniaraštis.xlsx",
                    "ro": "Stat de plată ianuarie.xlsx", "sk": "Výplatná listina — október.xlsx",
                    "ru": "Расчётная ведомость.xlsx", "en": "Payroll — October.xlsx"}[ctx.lang]
            att = table_attachment(ctx, d, t, "xlsx", "pay", filename=name)
            d.atts.append(att)
            note = TRICK + "attachment file name is non-ASCII (RFC 2231 encoded)"
        apply_found(d, t.found, name)
        d.text = ctx.frame([lead, ctx.pick("intro_attach").format(file=name), fill(ctx, ctx.pick("request"))])
        d.notes.append(note)
        return d

    if trick == "subject-only":
        d = build_code_message(ctx, kind, "subject")
        if ("name", "body") in d.findings:
            pass
        d.notes.insert(0, TRICK + "the code is in the (encoded) Subject header")
        return d

    if trick == "reply-quoted":
        d = build_code_message(ctx, kind, "reply-quoted")
        d.notes.insert(0, TRICK + "new text is harmless; the code is deep in the quoted history ('> > ')")
        return d

    if trick == "private-email-cc":
        d = ctx.draft()
        subj, lead = issue(ctx)
        d.subject = subj
        p = ctx.person(ctx.cl["nations"][0])
        paras = [lead, {"lv": f"Atbildi lūdzu nosūtiet arī man uz privāto pastu, jo no rītdienas esmu atvaļinājumā, "
                              f"bet jautājumu varēs risināt kolēģe — viņas adrese {p.email}.",
                        "lt": f"Atsakymą prašau siųsti ir kolegei į jos asmeninį paštą {p.email}, nes nuo rytojaus "
                              f"atostogauju.",
                        "ro": f"Vă rog să trimiteți răspunsul și colegei mele pe adresa ei personală {p.email}, "
                              f"de mâine sunt în concediu.",
                        "sk": f"Odpoveď prosím pošlite aj kolegyni na jej súkromný e-mail {p.email}, od zajtra mám "
                              f"dovolenku.",
                        "ru": f"Ответ, пожалуйста, продублируйте коллеге на её личную почту {p.email}, я с завтрашнего "
                              f"дня в отпуске.",
                        "en": f"Please also copy your answer to my colleague's private address {p.email}, I am on "
                              f"leave from tomorrow."}[ctx.lang]]
        d.find("email", "body", [p.email])
        d.text = ctx.frame(paras)
        d.notes.append(TRICK + "only a colleague's private webmail address, mentioned in passing")
        return d
    raise KeyError(trick)


# ============================================================================ clean scenarios
def invoice_rows(ctx: Ctx, n: int) -> tuple[list, list]:
    r = ctx.rng
    T = LANGS[ctx.lang]["inv_table"] if "inv_table" in LANGS[ctx.lang] else ctx.N["inv_table"]
    headers = [T["no"], T["date"], T["partner"], T["reg"], T["net"], T["vat"], T["total"], T["due"], T["status"]]
    rows = []
    statuses = LANGS[ctx.lang].get("statuses") or ctx.N["statuses"]
    vat_rate = {"LV": 0.21, "LT": 0.21, "RO": 0.21, "SK": 0.23, None: 0.2}[ctx.cl["cc"]]
    for _ in range(n):
        comp = ctx.company()
        dt = ctx.date.date() - datetime.timedelta(days=r.randint(1, 90))
        net = round(r.uniform(20, 12000) * (50 if ctx.cl["cc"] is None else (4.9 if ctx.cl["cc"] == "RO" else 1)), 2)
        vat = round(net * vat_rate, 2)
        rows.append([ctx.inv_no(), dt, comp["name"], comp["reg"], net, vat, round(net + vat, 2),
                     dt + datetime.timedelta(days=r.choice([10, 14, 30])), r.choice(statuses)])
    return headers, rows


def stock_rows(ctx: Ctx, n: int) -> tuple[list, list]:
    r = ctx.rng
    src = LANGS[ctx.lang] if "inv_table" in LANGS[ctx.lang] else ctx.N
    T = src["inv_table"]
    headers = [T["sku"], T["item"], T["qty"], T["unit"], T["price"], T["wh"], T["account"]]
    rows = []
    for _ in range(n):
        item = r.randrange(len(src["items"]))
        unit = src["units"][[3, 0, 0, 3, 0, 0, 2, 0, 1][item]]
        rows.append([f"{r.choice(['A', 'B', 'K', 'P'])}{r.randint(1000, 99999)}", src["items"][item],
                     r.randint(1, 900), unit, round(r.uniform(0.5, 450), 2),
                     r.choice(ctx.N["company"]["warehouses"]), r.choice(ACCOUNTS[ctx.cl["cc"]])])
    return headers, rows


def vendor_invoice_pdf(ctx: Ctx, vals: dict) -> Att:
    r = ctx.rng
    cl = ctx.cl
    lines_before = [f"{VENDOR['name']}, Reģ. Nr. {VENDOR['reg']}, PVN Nr. {VENDOR['vat']}",
                    f"IBAN {C.fmt('iban', VENDOR['iban'])} (Swedbank, HABALV22)",
                    f"{'Klients' if ctx.lang == 'lv' else 'Client'}: {cl['name']}, {cl['addr']}",
                    f"Reg./VAT: {cl['vat'] if cl['cc'] else cl['reg']}",
                    f"{'Datums' if ctx.lang == 'lv' else 'Date'}: {vals['date']}"]
    headers = ["#", "Description", "Qty", "Price", "Amount"]
    items = [("Technical support, hours (category: paid)", r.randint(1, 12), 45.0),
             ("Annual maintenance fee", 1, round(r.uniform(300, 2400), 2)),
             ("Consultation, 15 min units", r.randint(1, 8), 12.5),
             ("Workstation licence", r.randint(1, 5), 95.0)]
    rows = []
    for i, (desc, q, price) in enumerate(r.sample(items, r.randint(2, 4)), 1):
        rows.append([i, desc, q, price, round(q * price, 2)])
    total = round(sum(row[4] for row in rows), 2)
    after = [f"Total: {total:.2f} EUR, VAT 21%: {total * 0.21:.2f} EUR, to pay: {total * 1.21:.2f} EUR",
             f"Payment reference: {vals['vinv']}"]
    data = D.pdf_bytes(f"Invoice {vals['vinv']}", lines_before, headers, rows, after, "en", VENDOR["name"])
    return Att(f"{vals['vinv']}.pdf", data, "application/pdf")


def spec_docx(ctx: Ctx, vals: dict, tricky_headers: bool = False) -> Att:
    r = ctx.rng
    H = ctx.L["headers"]
    title = {"lv": "Izmaiņu pieprasījums", "lt": "Pakeitimo užklausa", "ro": "Cerere de modificare",
             "sk": "Požiadavka na zmenu", "ru": "Техническое задание", "en": "Change request"}[ctx.lang]
    intro = {"lv": f"Lūdzam papildināt atskaiti \"Algu saraksts\" ar jaunām kolonnām. Versija {vals['ver']}.",
             "lt": f"Prašome papildyti ataskaitą naujais stulpeliais. Versija {vals['ver']}.",
             "ro": f"Vă rugăm să completați raportul cu coloane noi. Versiunea {vals['ver']}.",
             "sk": f"Prosíme doplniť report o nové stĺpce. Verzia {vals['ver']}.",
             "ru": f"Просим доработать отчёт: добавить колонки. Релиз {vals['ver']}.",
             "en": f"Please extend the report with new columns. Version {vals['ver']}."}[ctx.lang]
    fields_hdr = {"lv": ["Lauks", "Tips", "Garums", "Piezīmes"], "lt": ["Laukas", "Tipas", "Ilgis", "Pastabos"],
                  "ro": ["Câmp", "Tip", "Lungime", "Observații"], "sk": ["Pole", "Typ", "Dĺžka", "Poznámka"],
                  "ru": ["Поле", "Тип", "Длина", "Примечание"], "en": ["Field", "Type", "Length", "Notes"]}[ctx.lang]
    fields = [[vals["acct"], "char", 10, ""], ["doc_no", "varchar", 20, vals["doc"]],
              ["amount", "numeric(15,2)", 15, ""], ["period", "date", 10, vals["date"]]]
    if tricky_headers:
        kind = {"lv": "lv-personas-kods", "lt": "lt-asmens-kodas", "ro": "ro-cnp", "sk": "sk-rodne-cislo",
                "ru": "ru-snils", "en": "lv-personas-kods"}[ctx.lang]
        fields += [[H["first"], "varchar", 50, ""], [H["last"], "varchar", 50, ""],
                   [ctx.L["code_header"].get(kind, "Personal code"), "char", 12, ""], [H["position"], "varchar", 80, ""]]
    when = ctx.date.replace(tzinfo=None)
    data = D.docx_bytes(title, [intro, f"{ctx.cl['name']}, {vals['date']}"], fields_hdr, fields,
                        [f"{ctx.sender[0]}"], ctx.lang, when, ctx.sender[0])
    name = {"lv": "specifikacija.docx", "lt": "specifikacija.docx", "ro": "specificatie.docx", "sk": "specifikacia.docx",
            "ru": "TZ_otchet.docx", "en": "specification.docx"}[ctx.lang]
    return Att(name, data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def notification(ctx: Ctx, vals: dict) -> Draft:
    r = ctx.rng
    bank = LANGS[ctx.lang] if ctx.lang != "en" else EN
    subj, frm, frm_name, body = r.choice(bank["notif"] if ctx.lang != "ru" or ctx.cid == "krylov" else EN["notif"])
    text = body.format(**vals)
    d = Draft(rng=r, client=ctx.cid, lang=ctx.lang, sender=(frm_name, frm, "", "", ""),
              date=ctx.date - datetime.timedelta(hours=r.randint(1, 48)))
    d.subject = subj
    d.text = text + "\n\n" + {"lv": "Šis ir automātiski sagatavots paziņojums, uz to nav jāatbild.",
                              "lt": "Tai automatinis pranešimas, į jį atsakyti nereikia.",
                              "ro": "Acesta este un mesaj generat automat, vă rugăm să nu răspundeți.",
                              "sk": "Toto je automaticky generovaná správa, neodpovedajte na ňu.",
                              "ru": "Это автоматическое уведомление, отвечать на него не нужно.",
                              "en": "This is an automatically generated message."}[ctx.lang]
    d.to = ctx.cl["contacts"][0]
    d.msgid = f"<{r.getrandbits(80):020x}@{frm.split('@')[1]}>"
    d.charset, d.cte = "utf-8", r.choice(["quoted-printable", "base64"])
    return d


def build_clean(ctx: Ctx, carrier: str, tricky: str | None = None) -> Draft:
    r = ctx.rng
    d = ctx.draft()
    L = ctx.L
    vals = ctx.values()
    pool = L["clean"] if not (ctx.lang == "ru" and ctx.cid != "krylov") else L["clean_lv"]
    if ctx.lang == "en" and ctx.cid == "krylov":
        pool = EN["clean"]
    subj_t, body_t = r.choice(pool)
    if tricky == "deid-table":  # a de-identified payroll sample goes with a payroll question
        subj_t, body_t = r.choice(L["pay_issues"] if not (ctx.lang == "ru" and ctx.cid != "krylov")
                                  else L["pay_issues_lv"])
        vals = dict(vals, ver=vals["ver"], err_text=vals["err_text"])
    d.subject = subj_t.format(**vals)
    lead = body_t.format(**vals)
    used = list(dict.fromkeys(re.findall(r"{(\w+)}", subj_t + body_t)))
    NM = {"inv": "invoice number", "vinv": "vendor's invoice number", "doc": "document number", "order": "order number",
          "asset": "asset inventory number", "amount": "amounts", "date": "dates (DD.MM.YYYY)", "date_iso": "ISO dates",
          "time": "times", "ver": "version string", "build": "build number (YYYYMMDD)", "guid": "GUID",
          "lic": "license key", "err_code": "error code", "logline": "log lines with timestamps",
          "trace": "stack trace with line numbers", "sql": "SQL snippet", "sup_reg": "supplier's company code (valid)",
          "sup_vat": "supplier's VAT number (valid)", "cust_vat": "customer's VAT/company number (valid)",
          "iban_co": "the client's own company IBAN", "vendor_iban": "the vendor's IBAN",
          "rs": "company settlement account (20 digits)", "acct": "chart-of-accounts numbers", "sup_kpp": "KPP",
          "pct": "percentages"}
    d.near(*[NM[u] for u in used if u in NM])
    paras = [lead]

    if carrier == "text":
        pass
    elif carrier == "invoice-table":
        h, rows = invoice_rows(ctx, r.randint(3, 7))
        paras.append(D.plain_table(h, rows, ctx.lang, r.choice(["tab", "pipe", "aligned"])))
        d.near("table of invoices with dates, amounts and partners' company codes")
    elif carrier in ("invoices-xlsx", "invoices-csv", "invoices-html"):
        h, rows = invoice_rows(ctx, r.randint(4, 18))
        t = Table({"lv": "Rēķinu saraksts", "lt": "Sąskaitų sąrašas", "ro": "Registru facturi", "sk": "Kniha faktúr",
                   "ru": "Реестр счетов", "en": "Invoice list"}[ctx.lang], h, rows, {}, [], [])
        fmt = carrier.split("-")[1]
        if fmt == "html":
            d.html_table = t  # type: ignore[attr-defined]
            d.html_only = r.random() < 0.5  # type: ignore[attr-defined]
            paras.append(D.plain_table(h, rows, ctx.lang, "tab"))
            d.near("HTML table of invoices (dates, amounts, partners' company codes)")
        else:
            att = table_attachment(ctx, d, t, fmt, "pay", sheet=t.title, before=[ctx.cl["name"], vals["date"]],
                                   filename=f"{ {'lv': 'rekini', 'lt': 'saskaitos', 'ro': 'facturi', 'sk': 'faktury', 'ru': 'scheta', 'en': 'invoices'}[ctx.lang]}_{ctx.year}_{ctx.month:02d}.{fmt}")
            d.atts.append(att)
            paras.append(ctx.pick("attach_clean").format(file=att.filename))
            d.near(f"{fmt.upper()} list of invoices with partners' company codes, dates and amounts")
    elif carrier in ("stock-xlsx", "stock-csv"):
        h, rows = stock_rows(ctx, r.randint(5, 25))
        title = {"lv": "Preču atlikumi", "lt": "Prekių likučiai", "ro": "Stocuri", "sk": "Stav skladu",
                 "ru": "Остатки товаров", "en": "Stock balances"}[ctx.lang]
        t = Table(title, h, rows, {}, [], [])
        fmt = carrier.split("-")[1]
        att = table_attachment(ctx, d, t, fmt, "pay", filename=f"stock_{vals['date_iso']}.{fmt}",
                               sheet=title[:31], before=[ctx.cl["name"], vals["date"]])
        d.atts.append(att)
        paras.append(ctx.pick("attach_clean").format(file=att.filename))
        d.near(f"{fmt.upper()} stock list (SKUs, quantities, prices, accounts)")
    elif carrier == "vendor-pdf":
        att = vendor_invoice_pdf(ctx, vals)
        d.atts.append(att)
        paras.append(ctx.pick("attach_clean").format(file=att.filename))
        d.near("PDF invoice with vendor's and client's company codes and IBAN")
    elif carrier == "spec-docx":
        att = spec_docx(ctx, vals, tricky == "spec-headers")
        d.atts.append(att)
        paras.append(ctx.pick("attach_clean").format(file=att.filename))
        d.near("DOCX specification (field table)")
    elif carrier in ("log-txt", "logs-zip"):
        log = ctx.logline(r.randint(6, 20)) + "\n" + ctx.trace() + "\n"
        if carrier == "log-txt":
            att = Att(r.choice(["error.log", "skaitlis.log", "trace.txt"]), log.encode("utf-8"), "text/plain", "utf-8")
        else:
            cfg = (f"[database]\nserver=SRV-{r.randint(1, 9)}\\SQLEXPRESS\nname=skaitlis_{ctx.cid}\ntimeout=30\n"
                   f"[license]\nkey={vals['lic']}\ninstallation={vals['guid']}\n")
            att = Att("logs.zip", D.zip_bytes([("skaitlis.log", log.encode()), ("config.ini", cfg.encode())],
                                              ctx.date.replace(tzinfo=None)), "application/zip")
        d.atts.append(att)
        paras.append(ctx.pick("attach_clean").format(file=att.filename))
        d.near("log file with timestamps, thread ids and a stack trace")
    elif carrier == "fwd-notif":
        inner = notification(ctx, vals)
        d.atts.append(Att(r.choice(["notification.eml", "fwd.eml", f"{inner.subject[:25]}.eml"]).replace(":", "_"),
                          inner, "message/rfc822"))
        paras.append({"lv": "Pārsūtu sistēmas paziņojumu.", "lt": "Persiunčiu sistemos pranešimą.",
                      "ro": "Vă trimit mai departe notificarea primită.", "sk": "Preposielam systémové upozornenie.",
                      "ru": "Пересылаю уведомление системы.", "en": "Forwarding the system notification."}[ctx.lang])
        d.near("forwarded system notification with registration/document numbers")
    elif carrier == "png":
        err_word = {"lv": "kluda", "lt": "klaida", "ro": "eroare", "sk": "chyba", "ru": "oshibka", "en": "error"}[ctx.lang]
        name = r.choice(["screenshot.png", "image001.png", f"{err_word}_{vals['date_iso']}.png", "Screenshot 2026.png"])
        d.atts.append(Att(name, D.png_bytes(r), "image/png"))
        paras.append(ctx.pick("attach_clean").format(file=name))
        d.near("screenshot (PNG)")
    elif carrier == "bank-xml":
        rows = []
        for _ in range(r.randint(2, 6)):
            comp = ctx.company()
            rows.append([comp["name"], C.fmt("iban", comp["iban"], False) if comp["iban"] else "",
                         round(r.uniform(10, 9000), 2), ctx.inv_no()])
        data = D.xml_bytes("Document", {"xmlns": "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"}, "Ntry",
                           ["Nm", "IBAN", "Amt", "Ustrd"], rows, ctx.lang)
        name = f"camt053_{vals['date_iso']}.xml"
        d.atts.append(Att(name, data, "application/xml"))
        paras.append(ctx.pick("attach_clean").format(file=name))
        d.near("camt.053 bank statement XML with company names, company IBANs and invoice references")
    elif carrier == "html":
        d.html_only = True  # type: ignore[attr-defined]
    else:
        raise KeyError(carrier)

    own_mobile = r.random() < 0.35 or tricky == "own-private"
    if own_mobile:
        d.near("sender's own name, position and mobile in the signature")
    else:
        d.near("sender's own signature (name, position, company phone)")
    if tricky:
        paras, extra_note = clean_trick(ctx, d, tricky, paras, vals)
        d.notes.append(TRICK + extra_note)
    d.text = ctx.frame(paras, own_mobile=own_mobile, own_private=getattr(d, "own_private", None))
    if getattr(d, "quote", None):
        d.text += "\n\n" + d.quote  # type: ignore[attr-defined]
    elif r.random() < 0.12:
        d.subject = L["reply_subject"].format(subject=d.subject)
        d.text += "\n\n" + reply_block(ctx)
        d.near("quoted reply of the vendor's agent (agent's name)")
    return d


def clean_trick(ctx: Ctx, d: Draft, trick: str, paras: list, vals: dict) -> tuple[list, str]:
    r = ctx.rng
    L = ctx.L
    H = L["headers"]
    kind = {"acme": "lv-personas-kods", "baltic": "lt-asmens-kodas", "carpat": "ro-cnp", "tatra": "sk-rodne-cislo",
            "krylov": "ru-snils"}[ctx.cid]
    code_h = L["code_header"].get(kind) or EN["code_header"][kind]
    mask = {"lv-personas-kods": "XXXXXX-XXXXX", "lt-asmens-kodas": "XXXXXXXXXXX", "ro-cnp": "XXXXXXXXXXXXX",
            "sk-rodne-cislo": "XXXXXX/XXXX", "ru-snils": "XXX-XXX-XXX XX"}[kind]
    if trick == "deid-table":
        names = L["deid_names"]
        rows = [[i, names[min(i - 1, 2)] if r.random() < 0.7 else "***", mask, r.choice([D.fmt_amount(r.uniform(800, 3000), "lv"), "***"])]
                for i in range(1, r.randint(3, 6))]
        headers = [H["nr"], H["full"], code_h, H["gross"]]
        if r.random() < 0.5:
            paras.insert(1, r.choice(L["deid"]) + "\n\n" + D.plain_table(headers, rows, ctx.lang, "tab"))
        else:
            t = Table("", headers, rows, {}, [], [])
            att = table_attachment(ctx, d, t, r.choice(["xlsx", "csv"]), "pay")
            d.atts.append(att)
            paras.insert(1, r.choice(L["deid"]) + " " + ctx.pick("attach_clean").format(file=att.filename))
        d.near("already de-identified sample (masked codes, placeholder names)")
        return paras, "properly de-identified table: masked codes (X…), 'Darbinieks 1'-style names, '***' amounts"
    if trick == "headers-only":
        subj, q = r.choice(L["template_q"])
        d.subject = subj
        cols = [H["nr"], H["first"], H["last"], code_h, H["position"], H["birth"], H["gross"], H["iban"]]
        cols = cols[: r.randint(5, 8)]
        if r.random() < 0.5:
            paras = [q, ";".join(cols)]
        else:
            data, used = D.csv_bytes(cols, [], ctx.lang, ";", "utf-8", r.random() < 0.5)
            name = ext_name(ctx, "import_", "csv")
            d.atts.append(Att(name, data, "text/csv"))
            paras = [q, ctx.pick("attach_clean").format(file=name)]
        d.near("column headers of a personal-data template without any values")
        return paras, "import template: personal-data column headers (name, code, birth date, IBAN) with no rows"
    if trick == "placeholder-row":
        subj, q = r.choice(L["template_q"])
        d.subject = subj
        names = L["deid_names"]
        example = [names[-1], mask, ctx.dmy(datetime.date(2026, 1, 1)).replace("01.01.2026", "DD.MM.YYYY"), "0,00"]
        paras = [q, "\t".join([H["full"], code_h, H["birth"], H["gross"]]) + "\n" + "\t".join(example)]
        d.near("template row with placeholders ('Vārds Uzvārds' / 'Фамилия Имя Отчество', XXX…, DD.MM.YYYY)")
        return paras, "template heading + a placeholder row ('Name Surname', masked code, DD.MM.YYYY) — no real person"
    if trick == "own-private":
        name = ctx.sender[0]
        first, last = name.split()[0], name.split()[-1]
        own = f"{P.ascii_fold(first).lower()}.{P.ascii_fold(last).lower()}@{r.choice(P.MAIL_HOSTS[ctx.cl['nations'][0]])}"
        d.own_private = own  # type: ignore[attr-defined]
        paras.append({"lv": f"Ja steidzami, rakstiet man arī uz {own} — šonedēļ strādāju no mājām.",
                      "lt": f"Jei skubu, rašykite ir man į {own} — šią savaitę dirbu iš namų.",
                      "ro": f"Dacă e urgent, scrieți-mi și pe {own} — săptămâna asta lucrez de acasă.",
                      "sk": f"Ak je to naliehavé, napíšte mi aj na {own} — tento týždeň pracujem z domu.",
                      "ru": f"Если срочно, пишите мне также на {own} — на этой неделе работаю из дома.",
                      "en": f"If urgent, write to me at {own} as well — I am working from home this week."}[ctx.lang])
        d.near("the sender's own private webmail address")
        return paras, ("the sender gives their OWN private webmail address (and own mobile in the signature) — the "
                       "sender's own data, not a third party's")
    if trick == "cents":
        rows = []
        for _ in range(r.randint(3, 6)):
            comp = ctx.company()
            cents = r.randint(1000, 99_999_999)
            rows.append(f"{ctx.date:%Y%m%d}{C.fmt('iban', comp['iban'] or ctx.cl.get('rs', ''), False):<34}"
                        f"{cents:011d}{ctx.inv_no().replace(' ', ''):<20}")
        paras.append({"lv": "Bankas fails (fiksēta garuma ieraksti, summas centos):",
                      "lt": "Banko failas (fiksuoto ilgio įrašai, sumos centais):",
                      "ro": "Fișierul băncii (înregistrări de lungime fixă, sume în bani):",
                      "sk": "Súbor banky (pevná dĺžka záznamu, sumy v centoch):",
                      "ru": "Файл банка (записи фиксированной длины, суммы в копейках):",
                      "en": "Bank file (fixed-length records, amounts in cents):"}[ctx.lang]
                     + "\n\n" + "\n".join(rows))
        d.near("11-digit zero-padded amounts in cents in a fixed-width bank file")
        return paras, "fixed-width bank records with 11-digit zero-padded cent amounts next to company IBANs"
    if trick == "agent-names":
        agent = AGENTS["lt" if ctx.lang == "lt" else "lv"][0]
        contact = ctx.cl["staff"][0][0]
        paras.append({"lv": f"Paldies Ilzei Kalniņai par palīdzību iepriekšējā reizē! Kontaktpersona no mūsu puses: "
                            f"{contact}, {ctx.cl['contacts'][0]}.",
                      "lt": f"Ačiū Tomui Petrauskui už pagalbą praeitą kartą! Kontaktinis asmuo: {contact}, "
                            f"{ctx.cl['contacts'][0]}.",
                      "ro": f"Mulțumim colegei dumneavoastră {agent} pentru ajutor. Persoana de contact: {contact}, "
                            f"{ctx.cl['contacts'][0]}.",
                      "sk": f"Ďakujeme kolegovi {agent} za pomoc minule. Kontaktná osoba: {contact}, "
                            f"{ctx.cl['contacts'][0]}.",
                      "ru": f"Спасибо {agent} за помощь в прошлый раз. Контактное лицо: {contact}, "
                            f"{ctx.cl['contacts'][0]}.",
                      "en": f"Thanks to {agent} for the help last time. Our contact person: {contact}, "
                            f"{ctx.cl['contacts'][0]}."}[ctx.lang])
        d.near("the vendor's agent and the client's registered contact by full name")
        return paras, "names of the vendor's agent and of the client's registered contact (both known parties)"
    if trick == "street-names":
        comp = ctx.company()
        addr = r.choice(ctx.N["company"]["addr"]).format(n=r.randint(1, 120), n2=r.randint(10, 99))
        paras.append({"lv": f"Piegādes adrese rēķinā jāmaina uz: {comp['name']}, {addr}, reģ. Nr. {comp['reg']}.",
                      "lt": f"Pristatymo adresą sąskaitoje reikia pakeisti į: {comp['name']}, {addr}, įm. kodas {comp['reg']}.",
                      "ro": f"Adresa de livrare trebuie schimbată în: {comp['name']}, {addr}, CUI {comp['reg']}.",
                      "sk": f"Dodaciu adresu na faktúre treba zmeniť na: {comp['name']}, {addr}, IČO {comp['reg']}.",
                      "ru": f"Адрес доставки в счёте нужно заменить на: {comp['name']}, {addr}, ИНН {comp['reg']}.",
                      "en": f"The delivery address on the invoice must be changed to: {comp['name']}, {addr}, "
                            f"reg. no. {comp['reg']}."}[ctx.lang])
        d.near("street named after a historical person, company name and code")
        return paras, "address on a street named after a person (e.g. Krišjāņa Barona iela, ул. Льва Толстого) + company code"
    if trick == "old-dates":
        founded = datetime.date(r.randint(1991, 2004), r.randint(1, 12), r.randint(1, 28))
        paras.append({"lv": f"Uzņēmums reģistrēts {founded:%d.%m.%Y}, līgums ar jums kopš {founded.year + 9}. gada; "
                            f"licence derīga līdz 31.12.{ctx.year + 1}.",
                      "lt": f"Įmonė įregistruota {founded:%Y-%m-%d}, sutartis su jumis nuo {founded.year + 9} m.; "
                            f"licencija galioja iki {ctx.year + 1}-12-31.",
                      "ro": f"Firma este înființată la {founded:%d.%m.%Y}, contract cu dumneavoastră din "
                            f"{founded.year + 9}; licența e valabilă până la 31.12.{ctx.year + 1}.",
                      "sk": f"Firma je zapísaná od {founded:%d.%m.%Y}, zmluva s vami od roku {founded.year + 9}; "
                            f"licencia platí do 31.12.{ctx.year + 1}.",
                      "ru": f"Организация зарегистрирована {founded:%d.%m.%Y}, договор с вами с {founded.year + 9} "
                            f"года; лицензия действует до 31.12.{ctx.year + 1}.",
                      "en": f"The company was registered on {founded:%d.%m.%Y}, contract with you since "
                            f"{founded.year + 9}; licence valid until 31.12.{ctx.year + 1}."}[ctx.lang])
        d.near("birthday-looking old dates that belong to a company (registration, contract)")
        return paras, "dates from the 1990s that look like birth dates but are the company's registration date"
    if trick == "guid-blob":
        blob = "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(152))
        ids = ", ".join(str(r.randint(10**10, 10**11 - 1)) for _ in range(3))
        paras.append(f"RequestId: {ctx.guid()}\nCorrelation: {ctx.guid()}\nTrace ids: {ids}\n"
                     f"Payload (base64): {blob[:76]}\n{blob[76:]}=")
        d.near("GUIDs, 11-digit trace ids and a base64 blob")
        return paras, "technical identifiers: GUIDs, 11-digit trace ids (checked not to be valid personal codes), base64"
    if trick == "spec-headers":
        d.near("personal-data field names in a specification table, no values")
        return paras, "DOCX specification lists personal-data FIELD NAMES (name, personal code, position) but no values"
    raise KeyError(trick)


# ============================================================================ rendering
def _boundary(r: random.Random, mailer) -> str:
    hexs = "0123456789abcdef"
    if mailer and "Outlook" in mailer[1]:
        return "_000_" + "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(36)) + "_"
    if mailer and "Thunderbird" in mailer[1]:
        return "------------" + "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
                                        for _ in range(24))
    if mailer and "Roundcube" in mailer[1]:
        return "=_" + "".join(r.choice(hexs) for _ in range(32))
    if mailer and "Apple" in mailer[1]:
        return "Apple-Mail=_" + str(uuid.UUID(int=r.getrandbits(128), version=4)).upper()
    return "0000000000000" + "".join(r.choice(hexs) for _ in range(15))


def _encoded(value: str, charset: str, name: str) -> str:
    """RFC 2047 header value as mail programs write it: the whole text in encoded words of the body's charset
    (UTF-8 when it does not fit), B for Cyrillic, Q otherwise, folded between words. Spaces always stay inside
    an encoded word (CPython's own folder can drop a space at a fold: 'субсчета к' -> 'субсчетак')."""
    try:
        value.encode("ascii")
        return value
    except UnicodeEncodeError:
        pass
    if charset not in ("utf-8", "us-ascii") and not D.fits(value, charset) and D.fits(D.punct_fold(value), charset):
        value = D.punct_fold(value)
    if charset in ("utf-8", "us-ascii") or not D.fits(value, charset):
        charset = "utf-8"
    if charset.lower() in ("windows-1250", "iso-8859-2"):
        value = value.translate(D._RO_CEDILLA)
    cyr = sum(1 for ch in value if "\u0400" <= ch <= "\u04ff") > len(value) / 4

    def enc(chunk: str) -> str:
        data = chunk.encode(charset)
        return base64mime.header_encode(data, charset) if cyr else quoprimime.header_encode(data, charset)

    words, cur = [], ""
    for ch in value:
        limit = 75 - len(name) - 2 if not words else 74
        if cur and len(enc(cur + ch)) > limit:
            words.append(enc(cur))
            cur = ch
        else:
            cur += ch
    words.append(enc(cur))
    return "\n ".join(words)


def to_message(d: Draft) -> EmailMessage:
    r = d.rng
    msg = EmailMessage(policy=SMTP)
    cs = d.charset
    cl = CLIENTS[d.client]
    display = cl["shared"].get(d.sender[1], d.sender[0])
    name_enc = _encoded(display, cs, "From") if display else ""
    if name_enc and name_enc != display:
        msg.set_raw("From", f"{name_enc} <{d.sender[1]}>")
    else:
        msg["From"] = formataddr((display, d.sender[1])) if display else d.sender[1]
    msg["To"] = d.to
    subj = _encoded(d.subject, cs, "Subject")
    if subj != d.subject:
        msg.set_raw("Subject", subj)
    else:
        msg["Subject"] = d.subject
    msg["Date"] = format_datetime(d.date)
    msg["Message-ID"] = d.msgid
    if not d.in_reply_to and re.match(r"(RE|Re|AW|Ответ): ", d.subject):
        d.in_reply_to = f"<{r.getrandbits(64):016x}.ticket@support.example>"
    if d.in_reply_to:
        msg["In-Reply-To"] = d.in_reply_to
        msg["References"] = d.in_reply_to
    if d.mailer:
        msg[d.mailer[0]] = d.mailer[1]
    if r.random() < 0.3:
        msg["Content-Language"] = {"lv": "lv-LV", "lt": "lt-LT", "ro": "ro-RO", "sk": "sk-SK", "ru": "ru-RU",
                                   "en": "en-US"}[d.lang]

    text = d.text or ""
    html_only = getattr(d, "html_only", False)
    html_table = getattr(d, "html_table", None)
    style = "outlook" if d.mailer and "Outlook" in d.mailer[1] else r.choice(["gmail", "plain"])
    html_body = None
    if html_only or html_table is not None or getattr(d, "html_code", None):
        paras_html = D.html_paragraphs(text, style)
        if html_table is not None:
            for sty in ("tab", "pipe", "aligned", "semicolon"):
                pt = D.plain_table(html_table.headers, html_table.rows, d.lang, sty)
                esc = D.html_paragraphs(pt, style)
                if esc in paras_html:
                    paras_html = paras_html.replace(esc, D.html_table(html_table.headers, html_table.rows, d.lang, style))
                    break
            else:
                paras_html += "\n" + D.html_table(html_table.headers, html_table.rows, d.lang, style)
        hc = getattr(d, "html_code", None)
        if hc:
            line, code, html_code = hc
            esc_code = html.escape(code)
            assert esc_code in paras_html, "code not found in html"
            paras_html = paras_html.replace(esc_code, html_code, 1)
        html_body = D.html_wrap(paras_html, cs, style, d.lang)
    use_cs = cs
    whole = text + (html_body or "")
    if not D.fits(whole, cs):
        folded_text, folded_html = D.punct_fold(text), D.punct_fold(html_body) if html_body else None
        if D.fits(folded_text + (folded_html or ""), cs):
            text, html_body = folded_text, folded_html
            whole = text + (html_body or "")
        else:
            use_cs = "utf-8"
    if use_cs in ("windows-1250", "iso-8859-2"):
        text = text.translate(D._RO_CEDILLA)
        html_body = html_body.translate(D._RO_CEDILLA) if html_body else None
    cte = d.cte
    if cte == "7bit":
        try:
            whole.encode("ascii")
            use_cs = "us-ascii"
        except UnicodeEncodeError:
            cte = "quoted-printable"
    if cte in ("7bit", "8bit") and max(len(x) for x in (whole or " ").split("\n")) > 900:
        cte = "quoted-printable"
    d.used = (use_cs, cte)  # type: ignore[attr-defined]
    if html_only:
        msg.set_content(html_body, subtype="html", charset=use_cs, cte=cte)
    else:
        msg.set_content(text, charset=use_cs, cte=cte)
        if html_body:
            msg.add_alternative(html_body, subtype="html", charset=use_cs, cte=cte)
    for att in d.atts:
        if isinstance(att.data, Draft):
            msg.add_attachment(to_message(att.data), filename=att.filename)
        else:
            maintype, subtype = att.ctype.split("/")
            params = {"charset": att.charset} if att.charset and maintype == "text" else None
            msg.add_attachment(att.data, maintype=maintype, subtype=subtype, filename=att.filename, params=params)
    for part in msg.walk():
        if part.get_content_maintype() == "multipart":
            part.set_boundary(_boundary(r, d.mailer))
    return msg


def render(d: Draft) -> bytes:
    return to_message(d).as_bytes(policy=SMTP)


# ============================================================================ plan
CODE_COUNTS = {"lv-personas-kods": 24, "lt-asmens-kodas": 22, "ro-cnp": 22, "sk-rodne-cislo": 18, "cz-rodne-cislo": 16,
               "ee-isikukood": 15, "pl-pesel": 15, "ru-snils": 18, "ru-inn": 14}
CODE_CARRIERS = ["body-text", "xlsx", "csv", "body-table", "pdf", "body-text", "zip", "docx", "body-html", "fwd-att",
                 "alt", "html", "fwd-body", "letter-docx", "xml", "fwd-inline", "subject", "csv", "letter-pdf",
                 "xlsx", "html-text", "fwd-body-text", "body-text", "xlsx"]
OTHER_PLAN = {
    "name": ["body-table", "xlsx", "csv", "docx", "pdf", "body-html", "alt", "html", "fwd-att", "zip", "xlsx",
             "body-table", "csv", "xlsx", "pdf", "docx", "body-html", "xlsx"],
    "birth-date": ["body-text", "body-text", "html-text", "xlsx", "csv", "fwd-body-text", "letter-docx", "body-text",
                   "alt", "docx"],
    "salary": ["body-text", "body-text", "body-text", "xlsx", "csv", "body-table", "pdf", "html-text", "fwd-inline",
               "letter-docx", "body-text", "fwd-body-text"],
    "phone": ["body-text", "body-text", "body-text", "html-text", "fwd-body-text", "fwd-inline", "body-text",
              "fwd-inline", "body-text"],
    "email": ["body-text", "body-text", "body-text", "html-text", "fwd-body-text", "fwd-inline", "body-text",
              "body-text", "fwd-inline"],
    "iban": ["body-table", "xlsx", "csv", "pdf", "body-html", "zip", "fwd-att", "alt", "xml", "html"],
}
OTHER_CLIENTS = ["acme", "baltic", "carpat", "tatra", "krylov"]
TRICKY_PERSONAL = [
    ("qp-split", "lv-personas-kods"), ("qp-split", "ro-cnp"), ("qp-split", "ru-snils"), ("qp-split", "lt-asmens-kodas"),
    ("html-split", "lv-personas-kods"), ("html-split", "sk-rodne-cislo"), ("html-split", "ru-snils"),
    ("deid-miss", "lv-personas-kods"), ("deid-miss", "lt-asmens-kodas"), ("deid-miss", "ro-cnp"),
    ("hidden-sheet", "cz-rodne-cislo"), ("hidden-sheet", "ru-inn"),
    ("fwd-zip", "ee-isikukood"), ("fwd-zip", "pl-pesel"),
    ("subject-only", "sk-rodne-cislo"), ("subject-only", "lt-asmens-kodas"),
    ("reply-quoted", "ro-cnp"), ("reply-quoted", "ee-isikukood"), ("reply-quoted", "ru-inn"),
    ("octet-stream", "pl-pesel"), ("no-header", "cz-rodne-cislo"), ("rfc2231-name", "lv-personas-kods"),
    ("spaces", "lv-personas-kods"), ("spaces", "ru-snils"), ("translit", "lt-asmens-kodas"),
    ("translit", "ee-isikukood"), ("log-line", "ro-cnp"), ("log-line", "sk-rodne-cislo"),
    ("private-email-cc", None),
]
CLEAN_CLIENT_COUNTS = {"acme": 60, "baltic": 55, "carpat": 50, "tatra": 50, "krylov": 45}  # = 260 incl. tricky
CLEAN_CARRIERS = ["text", "text", "text", "invoice-table", "invoices-xlsx", "text", "png", "invoices-csv", "vendor-pdf",
                  "stock-xlsx", "text", "html", "spec-docx", "log-txt", "fwd-notif", "text", "logs-zip", "stock-csv",
                  "invoices-html", "bank-xml", "text", "png"]
TRICKY_CLEAN = ["deid-table", "deid-table", "deid-table", "deid-table", "headers-only", "headers-only", "headers-only",
                "placeholder-row", "placeholder-row", "own-private", "own-private", "own-private", "cents", "cents",
                "cents", "agent-names", "agent-names", "street-names", "street-names", "street-names", "old-dates",
                "old-dates", "guid-blob", "guid-blob", "spec-headers", "spec-headers"]


def plan() -> list[dict]:
    r = random.Random(f"{SEED}-plan")
    items = []
    for n, (kind, count) in enumerate(CODE_COUNTS.items()):
        clients = CODE_KIND_CLIENT[kind]
        for i in range(count):
            items.append(dict(side="personal", kind=kind, carrier=CODE_CARRIERS[(i + 3 * n) % len(CODE_CARRIERS)],
                              client=clients[i % len(clients)]))
    for kind, carriers in OTHER_PLAN.items():
        for i, carrier in enumerate(carriers):
            items.append(dict(side="personal", kind=kind, carrier=carrier,
                              client=OTHER_CLIENTS[(i + len(kind)) % len(OTHER_CLIENTS)]))
    for i, (trick, kind) in enumerate(TRICKY_PERSONAL):
        client = CODE_KIND_CLIENT[kind][i % len(CODE_KIND_CLIENT[kind])] if kind else OTHER_CLIENTS[i % 5]
        items.append(dict(side="personal", kind=kind, carrier=None, trick=trick, client=client))
    tricky_clients = []
    for i, trick in enumerate(TRICKY_CLEAN):
        client = OTHER_CLIENTS[i % 5]
        tricky_clients.append(client)
        carrier = "spec-docx" if trick == "spec-headers" else CLEAN_CARRIERS[(i * 5) % len(CLEAN_CARRIERS)]
        if trick in ("deid-table", "headers-only", "placeholder-row") and carrier in ("html", "invoices-html"):
            carrier = "text"
        items.append(dict(side="clean", carrier=carrier, trick=trick, client=client))
    for client, count in CLEAN_CLIENT_COUNTS.items():
        for i in range(count - tricky_clients.count(client)):
            items.append(dict(side="clean", carrier=CLEAN_CARRIERS[(i + len(client)) % len(CLEAN_CARRIERS)],
                              client=client))
    r.shuffle(items)
    return items + NM.plan(SEED)  # the additions come after, so the original messages keep their numbers


# ============================================================================ build + verify one message
def build(item: dict, rng: random.Random) -> Draft:
    if item.get("extra"):
        return NM.build(item, rng, sys.modules[__name__])
    ctx = Ctx(rng, item["client"])
    if item["side"] == "clean":
        if item.get("trick") in ("deid-table", "headers-only", "placeholder-row", "cents", "spec-headers") \
                and ctx.lang == "ru" and ctx.cid != "krylov":
            ctx = Ctx(rng, item["client"], ctx.cl["lang"], ctx.date)
        return build_clean(ctx, item["carrier"], item.get("trick"))
    if item.get("trick"):
        if item["trick"] == "private-email-cc":
            return build_tricky_personal(ctx, item["trick"], "")
        return build_tricky_personal(ctx, item["trick"], item["kind"])
    if item["kind"] in C.PERSONAL_KINDS:
        return build_code_message(ctx, item["kind"], item["carrier"])
    if item["kind"] == "iban" and item["client"] == "krylov":
        ctx = Ctx(rng, "acme", "ru" if rng.random() < 0.5 else None)
    return build_other_personal(ctx, item["kind"], item["carrier"])


def verify(d: Draft, raw: bytes, item: dict) -> list[str]:
    """Problems with this message ([] = fine): labelled values must be present where labelled, every valid
    personal code found anywhere must be labelled there, clean messages must contain none."""
    problems = []
    texts = X.texts(raw)
    norm = lambda v: D.punct_fold(v).translate(D._RO_CEDILLA)  # noqa: E731
    if norm(texts["subject"]) != norm(d.subject):
        problems.append(f"subject does not round-trip: {d.subject!r} -> {texts['subject']!r}")
    labelled = collections.defaultdict(set)
    for (kind, where), vals in d.findings.items():
        if where not in texts:
            problems.append(f"labelled place {where!r} not found in message (have {sorted(texts)})")
            continue
        hay = X.squash(texts[where])
        for v in vals:
            if X.squash(v) not in hay:
                problems.append(f"{kind} value {v!r} not found in {where!r}")
            if kind in C.PERSONAL_KINDS or kind == "iban":
                if not C.is_valid(kind, v):
                    problems.append(f"{kind} value {v!r} does not validate")
            labelled[where].add(re.sub(r"\D", "", v))
    for where, text in texts.items():
        for digits, kinds in C.scan(text):
            if digits not in labelled[where]:
                problems.append(f"unlabelled valid code {digits} ({'/'.join(sorted(kinds))}) in {where!r}")
    return problems


def label(fname: str, d: Draft, item: dict) -> dict:
    findings = []
    order = ["subject", "body"]
    for (kind, where), vals in sorted(d.findings.items(), key=lambda kv: (order.index(kv[0][1]) if kv[0][1] in order
                                                                         else 2, kv[0][1], kv[0][0])):
        f = {"kind": kind, "where": where}
        if vals:
            f["values"] = vals
        findings.append(f)
    personal = item["side"] == "personal"
    used_cs, used_cte = getattr(d, "used", (d.charset, d.cte))
    if personal:
        note = "; ".join(dict.fromkeys(d.notes))
    else:
        tricky = [n for n in d.notes if n.startswith(TRICK)]
        note = "; ".join(tricky + ["near-misses: " + ", ".join(d.nm)])
    if used_cs not in ("utf-8", "us-ascii"):
        note += f"; {used_cs} body ({used_cte})"
    elif used_cte in ("base64", "8bit"):
        note += f"; {used_cte} UTF-8 body"
    return {"file": fname, "personal": personal, "client": d.client, "language": d.lang,
            "tricky": any(n.startswith(TRICK) for n in d.notes), "findings": findings if personal else [],
            "note": note}


def generate(out: Path, verbose: bool = False) -> dict:
    out = Path(out)
    msgdir = out / "messages"
    msgdir.mkdir(parents=True, exist_ok=True)
    for old in msgdir.glob("*.eml"):
        old.unlink()
    labels = []
    items = plan()
    for i, item in enumerate(items, 1):
        fname = f"p{i:04d}.eml"
        for attempt in range(40):
            rng = random.Random(f"{SEED}-{i}-{attempt}")
            d = build(item, rng)
            if getattr(d, "qp_probe", None):
                head, _, rest = d.text.partition("\n\n")
                d.text = head + "\n\n" + d.long_para + "\n\n" + rest  # type: ignore[attr-defined]
            raw = render(d)
            if getattr(d, "qp_probe", None) and d.qp_probe.encode() in raw:  # type: ignore[attr-defined]
                continue  # the code happens not to straddle a QP soft line break: draw the message again
            problems = verify(d, raw, item)
            if item["side"] == "personal" and not d.findings:
                problems.append("personal message without findings")
            if not problems:
                break
            if verbose:
                print(fname, attempt, problems[:3], file=sys.stderr)
        else:
            raise RuntimeError(f"{fname}: cannot build a consistent message: {problems}")
        (msgdir / fname).write_bytes(raw)
        labels.append(label(fname, d, item))
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return summarize(labels, msgdir)


def summarize(labels: list[dict], msgdir: Path) -> dict:
    per_kind = collections.Counter()
    per_kind_where = collections.defaultdict(collections.Counter)
    for lab in labels:
        seen = set()
        for f in lab["findings"]:
            w = f["where"]
            wt = "subject" if w == "subject" else "body" if w == "body" else \
                ("forwarded " + w.rsplit(".", 1)[-1] if "/" in w and w.split("/")[0].endswith(".eml") and w.count("/") >= 1
                 else ("forwarded body" if w.endswith(".eml") else
                       ("zip/" + w.rsplit(".", 1)[-1] if ".zip/" in w else "attachment ." + w.rsplit(".", 1)[-1].lower()
                        if "." in w.rsplit("/", 1)[-1] else "attachment (no ext)")))
            per_kind_where[f["kind"]][wt] += 1
            if f["kind"] not in seen:
                seen.add(f["kind"])
                per_kind[f["kind"]] += 1
    size = sum(p.stat().st_size for p in msgdir.glob("*.eml"))
    return dict(messages=len(labels), personal=sum(lab["personal"] for lab in labels),
                clean=sum(not lab["personal"] for lab in labels),
                tricky_personal=sum(lab["tricky"] and lab["personal"] for lab in labels),
                tricky_clean=sum(lab["tricky"] and not lab["personal"] for lab in labels),
                messages_per_kind=dict(per_kind), findings_per_kind_and_place={k: dict(v) for k, v in per_kind_where.items()},
                total_bytes=size,
                per_client=dict(collections.Counter(lab["client"] for lab in labels)),
                per_language=dict(collections.Counter(lab["language"] for lab in labels)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=HERE, help="directory for messages/ and labels.json")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    summary = generate(args.out, args.verbose)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
