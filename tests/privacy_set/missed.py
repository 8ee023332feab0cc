"""The personal additions to the labelled set (tests/privacy_set/nearmiss.py plans them): the two kinds the guard
missed on mail kept aside for checking.

`ru-private-contact`: a third party's name (in the grammatical case the sentence needs) with a private e-mail
address and telephone in Russian running text — in a sentence, without a closing formula, as the last short
lines announced by a sentence, inside an inline-forwarded message. `html-name-list`: people's names alone in an
HTML-only body (<br>, <div>, <p>, a one-column table, <ul>) after a sentence about them.
"""
from __future__ import annotations

import html

from . import docs as D
from . import people as P
from .texts_missed import NAME_LIST, RU_CONTACT, RU_CONTACT_LINES, RU_FIRST, RU_LEADS

NAME_LIST_STYLES = ("br", "div", "p", "table", "br", "ul", "div", "p", "table", "br")


def _ru_cases(p) -> dict:
    """The name in the nominative and four cases (surname, first name, patronymic)."""
    def first(case):
        if p.sex == "M":
            base = p.first[:-1] if p.first.endswith("й") else ("Павл" if p.first == "Павел" else p.first)
            return base + RU_FIRST[p.first].split()[case]
        if p.first.endswith(("ья", "ия")):
            return p.first[:-1] + ("и", "е" if p.first.endswith("ья") else "и", "ю", "ей")[case]
        stem = p.first[:-1]
        return stem + (("и" if stem[-1] in "гкхжшщч" else "ы"), "е", "у", "ой")[case]
    def last(case):
        if p.sex == "M":
            return p.last + ("а", "у", "а", "ым")[case]
        return p.last[:-1] + ("ой", "ой", "у", "ой")[case]
    def patr(case):
        if p.sex == "M":
            return p.patronymic + ("а", "у", "а", "ем")[case]
        return p.patronymic[:-1] + ("ы", "е", "у", "ой")[case]
    out = {"nom": p.full}
    for i, case in enumerate(("gen", "dat", "acc", "ins")):
        out[case] = f"{last(i)} {first(i)} {patr(i)}" if i % 2 == 0 else f"{first(i)} {last(i)}"
    return out


def ru_private_contact(G, ctx, variant: int):
    r, d = ctx.rng, ctx.draft()
    p = ctx.person("ru")
    phone = p.phone if ctx.cid == "krylov" else P.mobile(r, "lv")
    form = ("sentence", "nosign", "lines", "fwd")[variant % 4]
    d.find("phone", "body", [phone])
    d.find("email", "body", [p.email])
    if form == "lines":
        subj, intro = RU_CONTACT_LINES[variant % len(RU_CONTACT_LINES)]
        d.subject = subj
        d.text = r.choice(RU_LEADS) + "\n\n" + intro + "\n" + "\n".join([p.full, p.email, phone])
        d.notes.append(G.TRICK + "a third party's name, private e-mail and mobile as the last short lines of a "
                       "message without a closing formula (they look like a signature)")
        return d
    subj, sentence = RU_CONTACT[variant % len(RU_CONTACT)]
    d.subject = subj
    text = G.gender(sentence, p.sex).format(doc=ctx.doc_no(), phone=phone, email=p.email, **_ru_cases(p))
    if form == "fwd":
        col = G.colleague(ctx)
        d.text = ctx.frame([G.fwd_inline(ctx, subj, f"{col[0]} <{col[1]}>", ctx.frame([text], sig_full=False,
                                                                                          who=col))])
        d.notes.append(G.TRICK + "a third party's name with private e-mail and telephone in Russian running text, "
                       "inside an inline-forwarded message")
        return d
    d.text = ctx.frame([text], sign=form == "sentence")
    d.notes.append(G.TRICK + "a third party's name (in a grammatical case) with private e-mail and telephone in "
                   "Russian running text" + ("" if form == "sentence" else ", no closing formula or signature"))
    return d


def html_name_list(G, ctx, variant: int):
    r, d = ctx.rng, ctx.draft()
    host = ctx.cl["nations"][0]
    persons = [ctx.person(host) for _ in range(r.randint(2, 6) if variant % 3 else r.randint(4, 7))]
    names = [p.full if r.random() < 0.8 or p.nation == "ru" else f"{p.last} {p.first}" for p in persons]
    subj, intro = NAME_LIST[ctx.lang][variant % len(NAME_LIST[ctx.lang])]
    d.subject = subj
    intro = intro.format(mm=f"{ctx.month:02d}", year=ctx.year)
    style = NAME_LIST_STYLES[variant % len(NAME_LIST_STYLES)]
    d.html_only = True  # type: ignore[attr-defined]
    if style == "br":
        listing = "\n".join(names)
    else:
        listing = ", ".join(names)
        esc = [html.escape(n) for n in names]
        code = {"div": "".join(f"<div>{n}</div>" for n in esc), "p": "".join(f"<p>{n}</p>" for n in esc),
                "ul": "<ul>" + "".join(f"<li>{n}</li>" for n in esc) + "</ul>",
                "table": D.html_table(None, [[n] for n in names], ctx.lang, r.choice(["outlook", "gmail", "plain"]))}
        d.html_code = (None, listing, code[style])  # type: ignore[attr-defined]
    d.find("name", "body")
    d.text = ctx.frame([intro, listing])
    d.notes.append(G.TRICK + f"a list of {len(names)} people's names alone (no column header) in an HTML-only body "
                   f"({style})")
    return d
