"""The set's additions after the original 521 messages: clean near-misses of the false discards seen on mail kept
aside for checking, and personal mail of the two kinds the guard missed there.

Clean (12 of each kind, two per language lv, lt, ro, sk, ru, en): `street-iban` (an invoice or an order whose
company address is a street named after a person, beside the company's IBAN), `bank-names` (banks named like
people, beside company accounts), `officers` (company lists from the public register with officers' names),
`contact-page` (a company's published contact page), `invoice-contact` (an invoice or order with the customer's
named contact person), `multi-signature` (several people's signatures: a partner's quoted reply, a signed
balance confirmation). Personal (built in missed.py): `ru-private-contact` (a third party's name with a private
e-mail address and telephone in Russian running text) and `html-name-list` (people's names alone, listed in an
HTML body).

Builders get the generator module `G` (tests.privacy_set.generate, also when it runs as __main__) so that
drafts and attachments are its own classes; the people, companies and codes come from the same factories.
"""
from __future__ import annotations

import datetime
import random
import re

from . import codes as C
from . import docs as D
from . import people as P
from .missed import html_name_list, ru_private_contact
from .texts_nearmiss import BANK_SHORT, BANKS, LANDLINE, ROLES, STREETS, TEXTS

LANGS = ("lv", "lt", "ro", "sk", "ru", "en")
CLEAN_KINDS = ("street-iban", "bank-names", "officers", "contact-page", "invoice-contact", "multi-signature")
LANG_CLIENT = {"lv": "acme", "lt": "baltic", "ro": "carpat", "sk": "tatra", "ru": "krylov"}
EN_CLIENTS = ("acme", "baltic", "carpat", "tatra")
NAME_LIST_LANGS = ("lv", "lv", "lv", "lt", "lt", "lt", "ro", "ro", "sk", "sk", "ru", "ru", "ru", "en", "en")
LEGAL = re.compile(r"(?<!\w)(SIA|AS|UAB|AB|SC|SRL|SA|s\.r\.o\.|a\.s\.|ООО|АО|ПАО)(?!\w)|[«»]")


def plan(seed: int) -> list[dict]:
    """The additions, in their own shuffled order (appended after the original plan, which stays as it was)."""
    items = []
    for k, kind in enumerate(CLEAN_KINDS):
        for lang in LANGS:
            for variant in (0, 1):
                client = LANG_CLIENT.get(lang) or EN_CLIENTS[(2 * k + variant) % len(EN_CLIENTS)]
                items.append(dict(side="clean", extra=kind, lang=lang, variant=variant, client=client))
    for i in range(16):
        items.append(dict(side="personal", extra="ru-private-contact", lang="ru", variant=i,
                          client="acme" if i % 5 == 4 else "krylov"))
    for i, lang in enumerate(NAME_LIST_LANGS):
        client = LANG_CLIENT.get(lang) or EN_CLIENTS[i % len(EN_CLIENTS)]
        items.append(dict(side="personal", extra="html-name-list", lang=lang, variant=i, client=client))
    random.Random(f"{seed}-nearmiss").shuffle(items)
    return items


def build(item: dict, rng: random.Random, G):
    ctx = G.Ctx(rng, item["client"], item["lang"])
    return BUILDERS[item["extra"]](G, ctx, item["variant"])


# ---------------------------------------------------------------------------- companies, people, accounts
def _home(ctx) -> str:
    return ctx.cl["lang"]  # the client's country: streets, banks and telephones of English mail follow it


def _bank(ctx, avoid=()):
    return ctx.rng.choice([b for b in BANKS[_home(ctx)] if b[0] not in avoid])


def _account(ctx, bank) -> str:
    """An account at `bank`: an IBAN with its bank code (a 20-digit settlement account in Russia)."""
    r = ctx.rng
    if _home(ctx) == "ru":
        return "40702810" + f"{r.randint(0, 10**12 - 1):012d}"
    cc = ctx.cl["cc"]
    while True:
        value = C.iban(r, cc)
        if value[4:4 + len(bank[2])] == bank[2]:
            return C.fmt("iban", value, r.random() < 0.6)


def _landline(ctx) -> str:
    r = ctx.rng
    return LANDLINE[_home(ctx)].format(a=r.randint(200, 999), c=r.randint(100, 999), d=r.randint(10, 99),
                                       b=r.randint(1000, 9999), e=r.randint(1000, 9999), f=r.randint(10, 99))


def _domain(name: str, home: str) -> str:
    core = re.sub(r"[^a-z0-9]", "", P.ascii_fold(LEGAL.sub("", name)).lower())
    return f"{core}.{ {'lv': 'lv', 'lt': 'lt', 'ro': 'ro', 'sk': 'sk', 'ru': 'ru'}[home]}"


def partner(ctx) -> dict:
    """A supplier or customer of the client: valid company codes, an address on a street named after a person,
    an account at a bank of its country, an office telephone and a web domain."""
    comp = ctx.company()
    bank = _bank(ctx)
    comp.update(addr=ctx.rng.choice(STREETS[_home(ctx)]).format(n=ctx.rng.randint(1, 120)), bank=bank,
                account=_account(ctx, bank), phone=_landline(ctx), domain=_domain(comp["name"], _home(ctx)))
    return comp


def officer(ctx, comp: dict, role: str, mobile: bool = False) -> dict:
    """A person acting for a company: name, role, work e-mail at the company's domain, work telephone."""
    r = ctx.rng
    p = ctx.person(ctx.cl["nations"][0])
    first, last = P.ascii_fold(p.first).lower(), P.ascii_fold(p.last).lower()
    mail = r.choice([f"{first}.{last}", f"{first[0]}.{last}", f"{first}"]) + "@" + comp["domain"]
    phone = P.mobile(r, ctx.cl["nations"][0]) if mobile else _landline(ctx)
    name = p.full if p.nation != "ru" or r.random() < 0.5 else f"{p.first} {p.last}"
    return dict(name=name, role=ROLES[ctx.lang][role][p.sex == "F"], email=mail, phone=phone, mobile=mobile)


def requisites(ctx, comp: dict, side: str, one_line: bool) -> list[str]:
    b = TEXTS[ctx.lang]["lbl"]
    ru = _home(ctx) == "ru"
    codes = f"{b['reg']} {comp['reg']}, " + (f"{b['vat']} {comp['kpp']}" if ru else f"{b['vat']} {comp['vat']}")
    bank, bic = comp["bank"][0], comp["bank"][1]
    account = f"{b['account']} {comp['account']}" + (f", к/с {comp['bank'][2]}" if ru else "")
    if one_line:
        return [f"{b[side]}: {comp['name']}, {comp['addr']}, {codes}, {account} ({bank})"]
    return [f"{b[side]}: {comp['name']}", f"{b['address']}: {comp['addr']}", codes,
            f"{b['bank']}: {bank}, {b['bic']} {bic}", account]


def client_requisites(ctx, side: str) -> list[str]:
    """The client's own details (its signature data: registered address, codes, account)."""
    b, cl = TEXTS[ctx.lang]["lbl"], ctx.cl
    acc = f"{b['account']} {C.fmt('iban', cl['iban'])}" if cl["iban"] else f"р/с {cl['rs']}, БИК {cl['bik']}"
    return [f"{b[side]}: {cl['name']}, {cl['addr']}, {b['reg']} {cl['reg']}", acc]


def _items(G, ctx, n: int) -> tuple[list, list]:
    src = G.LANGS[ctx.lang] if "items" in G.LANGS[ctx.lang] else ctx.N
    t = (G.LANGS[ctx.lang].get("inv_table") or ctx.N["inv_table"])
    rows = []
    for i in range(n):
        k = ctx.rng.randrange(len(src["items"]))
        qty, price = ctx.rng.randint(1, 40), round(ctx.rng.uniform(2, 300), 2)
        rows.append([src["items"][k], qty, src["units"][k % len(src["units"])], price, round(qty * price, 2)])
    return [t["item"], t["qty"], t["unit"], t["price"], t["net"]], rows


def _document(G, ctx, fmt: str, title: str, before: list[str], headers, rows, after: list[str], name: str):
    when = (ctx.date - datetime.timedelta(hours=ctx.rng.randint(2, 60))).replace(tzinfo=None)
    if fmt == "pdf":
        return G.Att(f"{name}.pdf", D.pdf_bytes(title, before, headers, rows, after, ctx.lang, ctx.sender[0]),
                     "application/pdf")
    data = D.docx_bytes(title, before, headers, rows, after, ctx.lang, when, ctx.sender[0])
    return G.Att(f"{name}.docx", data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _finish(G, ctx, d, paras: list, note: str, *near: str, own_mobile: bool | None = None):
    d.near(*near)
    d.notes.append(G.TRICK + note)
    mob = ctx.rng.random() < 0.3 if own_mobile is None else own_mobile
    d.near("sender's own signature" + (" with mobile" if mob else ""))
    d.text = ctx.frame(paras, own_mobile=mob)
    return d


def _vals(ctx) -> dict:
    return dict(order=ctx.doc_no(), inv=ctx.inv_no(), tpl=ctx.rng.choice(ctx.N["company"]["templates"]))


# ---------------------------------------------------------------------------- clean near-misses
def street_iban(G, ctx, variant: int):
    r, d, t = ctx.rng, ctx.draft(), TEXTS[ctx.lang]
    subj, lead = t["street_iban"][variant]
    v = _vals(ctx)
    d.subject, lead = subj.format(**v), lead.format(**v)
    comp = partner(ctx)
    shape = r.choice(["lines", "one-line", "two-columns"]) if variant == 0 else "lines"
    block = requisites(ctx, comp, "supplier", one_line=shape == "one-line")
    fmt = "text" if variant == 0 else {"lv": "pdf", "lt": "docx", "ro": "pdf", "sk": "html", "ru": "docx",
                                       "en": "pdf"}[ctx.lang]
    if shape == "two-columns":  # the supplier's and the buyer's details side by side, as invoices print them
        b, cl = t["lbl"], ctx.cl
        own = C.fmt("iban", cl["iban"]) if cl["iban"] else cl["rs"]
        rows = [[comp["name"], cl["name"]], [comp["addr"], cl["addr"]], [f"{b['reg']} {comp['reg']}",
                f"{b['reg']} {cl['reg']}"], [f"{comp['bank'][0]}, {comp['bank'][1]}", ""], [comp["account"], own]]
        paras = [lead, D.plain_table([b["supplier"], b["buyer"]], rows, ctx.lang, "tab")]
    elif fmt in ("text", "html"):
        paras = [lead, "\n".join(block)]
        d.html_only = fmt == "html"  # type: ignore[attr-defined]
    else:
        b = t["lbl"]
        headers, rows = _items(G, ctx, r.randint(2, 5))
        title = f"{b['order']} {v['order']}" if variant else f"{b['invoice']} {v['inv']}"
        att = _document(G, ctx, fmt, title, block + client_requisites(ctx, "buyer"), headers, rows,
                        [f"{b['total']}: {D.fmt_amount(sum(x[4] for x in rows) * 1.21, ctx.lang)}"],
                        re.sub(r"\W+", "_", v["order"]))
        d.atts.append(att)
        paras = [lead, ctx.pick("attach_clean").format(file=att.filename)]
    return _finish(G, ctx, d, paras, f"supplier's address on a street named after a person ({comp['addr']}) beside "
                   f"the supplier's account and bank ({fmt}, {shape})",
                   "street named after a person in a company address",
                   "company account (IBAN / settlement account) and bank name", "company codes")


def bank_names(G, ctx, variant: int):
    r, d, t = ctx.rng, ctx.draft(), TEXTS[ctx.lang]
    banks = r.sample(BANKS[_home(ctx)], 3)
    short = BANK_SHORT.get(ctx.lang)
    names = [short[BANKS["ru"].index(b)] for b in banks] if short else [b[0] for b in banks]
    subj, lead = t["bank_names"][variant]
    d.subject = subj.format(bank1=names[0], bank2=names[1], bank3=names[2])
    paras = [lead.format(bank1=names[0], bank2=names[1], bank3=names[2])]
    comp = partner(ctx)
    comp["bank"] = banks[0]
    comp["account"] = _account(ctx, banks[0])
    line = t["bank_line"].format(company=comp["name"], iban=comp["account"], bank=banks[0][0], bic=banks[0][1],
                                 inv=ctx.inv_no())
    if variant == 0:
        b = t["lbl"]
        rows = [[bank[0], bank[1], _account(ctx, bank)] for bank in banks]
        paras.append(D.plain_table([b["bank"], b["bic"], b["account"]], rows, ctx.lang,
                                   r.choice(["tab", "pipe", "aligned"])))
    paras.append(line)
    return _finish(G, ctx, d, paras, "bank names that read like people's names (" + ", ".join(b[0] for b in banks)
                   + ") beside company accounts", "bank names", "company accounts with BIC", "company name")


def officers(G, ctx, variant: int):
    r, d, t = ctx.rng, ctx.draft(), TEXTS[ctx.lang]
    d.subject, lead = t["officers"][variant]
    rows, lines, lines2 = [], [], []
    for i, name in enumerate(r.sample(ctx.N["company"]["suppliers"], r.randint(3, 5))):
        comp = partner(ctx)
        o = officer(ctx, comp, r.choice(["chair", "board"]))
        since = datetime.date(r.randint(1992, 2021), r.randint(1, 12), r.randint(1, 28))
        rows.append([name, comp["reg"], comp["addr"], o["name"], since])
        fields = dict(company=name, reg=comp["reg"], role=o["role"], name=o["name"])
        lines.append(f"{i + 1}. " + t["officer_line"].format(**fields))
        lines2.append("- " + t["officer_line2"].format(**fields))
    fmt = ["body-table", "list", "name-first list", "csv", "xlsx"][(variant + 2 * LANGS.index(ctx.lang)) % 5]
    if fmt == "body-table":
        paras = [lead, D.plain_table(t["lbl"]["officer_headers"], rows, ctx.lang, r.choice(["tab", "pipe"]))]
    elif fmt.endswith("list"):
        paras = [lead, "\n".join(lines if fmt == "list" else lines2)]
    else:
        table = G.Table("", t["lbl"]["officer_headers"], rows, {}, [], [])
        att = G.table_attachment(ctx, d, table, fmt, "list", before=[], filename=f"registrs_{ctx.year}.{fmt}")
        d.atts.append(att)
        paras = [lead, ctx.pick("attach_clean").format(file=att.filename)]
    return _finish(G, ctx, d, paras, f"officers' names in a list of companies from the public register ({fmt})",
                   "company officers (public register data)", "company codes", "registration dates",
                   "addresses on streets named after people")


def contact_page(G, ctx, variant: int):
    r, d, t = ctx.rng, ctx.draft(), TEXTS[ctx.lang]
    b = t["lbl"]
    d.subject, lead = t["contact_page"][variant]
    comp = partner(ctx)
    people = [(b["depts"][0], officer(ctx, comp, "chair")), (b["depts"][1], officer(ctx, comp, "chief")),
              (b["depts"][2], officer(ctx, comp, "sales", mobile=r.random() < 0.6))]
    head = [f"{comp['name']} — {b['title']}", f"{b['office']}: {comp['addr']}",
            f"{b['phone']} {comp['phone']}, {b['email']} info@{comp['domain']}"]
    if variant == 0 or ctx.lang in ("ru", "en"):
        blocks = ["\n".join(head)]
        card = r.random() < 0.5  # name and role on lines of their own, as a web page's contact cards
        for dept, o in people:
            label = b["mob"] if o["mobile"] else b["phone"]
            who = [o["name"], o["role"]] if card else [f"{o['name']}, {o['role']}"]
            blocks.append("\n".join([dept] + who + [f"{label} {o['phone']}", o["email"]]))
        paras = [lead, "\n\n".join(blocks)]
        d.html_only = variant == 1  # type: ignore[attr-defined]
    else:
        rows = [[dept, f"{o['name']}, {o['role']}", o["phone"], o["email"]] for dept, o in people]
        data, used = D.html_document(comp["name"], head, b["contact_headers"], rows, [f"www.{comp['domain']}"],
                                     ctx.lang)
        d.atts.append(G.Att(f"{b['title']}.html", data, "text/html", used))
        paras = [lead, ctx.pick("attach_clean").format(file=f"{b['title']}.html")]
    return _finish(G, ctx, d, paras, "a company's published contact page: staff in their work roles with office "
                   "telephones (a work mobile) and work e-mail addresses", "public contact page",
                   "work telephones and work e-mail addresses of named staff", "street named after a person")


def invoice_contact(G, ctx, variant: int):
    r, d, t = ctx.rng, ctx.draft(), TEXTS[ctx.lang]
    b, v = t["lbl"], _vals(ctx)
    subj, lead = t["invoice_contact"][variant]
    d.subject, lead = subj.format(**v), lead.format(**v)
    comp = partner(ctx)
    o = officer(ctx, comp, r.choice(["acc", "chief", "sales"]), mobile=r.random() < 0.4)
    doc = b["order"] if variant else b["invoice"]
    lines = [f"{doc} {v['order'] if variant else v['inv']}, {ctx.dmy()}"] + client_requisites(ctx, "supplier") + [
        f"{b['buyer']}: {comp['name']}, {comp['addr']}, {b['reg']} {comp['reg']}",
        f"{b['contact']}: {o['name']}, {o['role']}, {b['mob'] if o['mobile'] else b['phone']} {o['phone']}"
        + (f", {o['email']}" if not o["mobile"] or r.random() < 0.5 else ""),
        f"{b['due']}: {ctx.dmy(ctx.date.date() + datetime.timedelta(days=14))}"]
    if variant == 0 or ctx.lang in ("ru", "en"):
        paras = [lead, "\n".join(lines)]
    else:
        headers, rows = _items(G, ctx, r.randint(2, 4))
        att = _document(G, ctx, "pdf" if ctx.lang in ("lv", "ro") else "docx", lines[0], lines[1:], headers, rows,
                        [], re.sub(r"\W+", "_", v["order"]))
        d.atts.append(att)
        paras = [lead, ctx.pick("attach_clean").format(file=att.filename)]
    return _finish(G, ctx, d, paras, "the customer's named contact person with work telephone and e-mail on an "
                   "invoice or order, beside the company's account", "named contact person of a company",
                   "work telephone and e-mail", "company accounts", "street named after a person")


def multi_signature(G, ctx, variant: int):
    r, d, t = ctx.rng, ctx.draft(), TEXTS[ctx.lang]
    b = t["lbl"]
    comp = partner(ctx)
    first, second = officer(ctx, comp, "board", mobile=True), officer(ctx, comp, "chief", mobile=r.random() < 0.5)
    inv, amount = ctx.inv_no(), ctx.amount()
    subj, lead = t["multi_sig"][variant]
    if variant == 0:
        d.subject, lead = subj.format(inv=inv), lead.format(inv=inv)
        sig = [r.choice(ctx.L["sign_off"]), f"{first['name']}, {first['role']}", f"{second['name']}, {second['role']}",
               f"{comp['name']}, {comp['addr']}",
               f"{b['phone']} {comp['phone']}, {b['mob']} {first['phone']}", f"{first['email']} | www.{comp['domain']}",
               f"{b['account']} {comp['account']}, {comp['bank'][0]}"]
        when = (ctx.date - datetime.timedelta(days=r.randint(1, 6))).strftime("%d.%m.%Y %H:%M")
        reply = t["partner_reply"].format(inv=inv, amount=amount)
        if r.random() < 0.5:
            quote = ctx.L["reply_header"].format(date=when, name=f"{first['name']} <{first['email']}>") + "\n" + \
                G.quoted(reply + "\n\n" + "\n".join(sig))
        else:  # forwarded inline, each signer with a work mobile on their own line
            sig[1:3] = [f"{o['name']}, {o['role']}, {b['mob']} {P.mobile(r, ctx.cl['nations'][0])}"
                        for o in (first, second)]
            quote = G.fwd_inline(ctx, d.subject, f"{first['name']} <{first['email']}>", reply + "\n\n"
                                 + "\n".join(sig))
        d.quote = quote  # type: ignore[attr-defined]
        d.subject = ctx.L["reply_subject"].format(subject=d.subject) if r.random() < 0.5 else d.subject
        paras = [lead]
        d.text = ctx.frame(paras, own_mobile=r.random() < 0.3) + "\n\n" + quote
        d.near("partner's quoted reply signed by two people with work mobiles", "partner's account and address")
        d.notes.append(G.TRICK + "a partner's quoted reply signed by two people (names, roles, work mobile, work "
                       "e-mail, the company's account)")
        return d
    fname = re.sub(r"\W+", "_", t["lbl"]["act"].lower())[:24]
    fmt = "pdf" if ctx.lang in ("lv", "ro", "en") else "docx"
    d.subject, lead = subj.format(file=f"{fname}.{fmt}"), lead.format(file=f"{fname}.{fmt}")
    before = requisites(ctx, comp, "supplier", one_line=False) + client_requisites(ctx, "buyer") + [
        t["lbl"]["act_text"].format(date=ctx.dmy(), amount=amount)]
    headers, rows = [ctx.N["inv_table"]["no"], ctx.N["inv_table"]["date"], ctx.N["inv_table"]["total"]], []
    for _ in range(r.randint(2, 5)):
        rows.append([ctx.inv_no(), ctx.date.date() - datetime.timedelta(days=r.randint(5, 90)),
                     round(r.uniform(50, 5000), 2)])
    name, _, pos, pos_en, pos_ru = ctx.sender
    own = (name, {"en": pos_en or pos, "ru": pos_ru or pos}.get(ctx.lang, pos))
    after = [b["sign_for"][0] + ":", f"{first['role']} {first['name']} ________",
             f"{second['role']} {second['name']} ________", b["sign_for"][1] + ":", f"{own[1]} {own[0]} ________"]
    att = _document(G, ctx, fmt, t["lbl"]["act"], before, headers, rows, after, fname)
    d.atts.append(att)
    return _finish(G, ctx, d, [lead], "a signed balance confirmation: both companies' details and accounts, "
                   "signatures of two officers and the client's accountant", "signatures of several people",
                   "company accounts and codes", "street named after a person")


BUILDERS = {"street-iban": street_iban, "bank-names": bank_names, "officers": officers, "contact-page": contact_page,
            "invoice-contact": invoice_contact, "multi-signature": multi_signature,
            "ru-private-contact": ru_private_contact, "html-name-list": html_name_list}
