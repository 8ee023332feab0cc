"""reply_text: the new text an agent wrote at the top of a reply, without the quoted notification.

When an agent answers mailbot's notification from their own mail client, only what the agent wrote is relayed
to the client. Everything the mail client added is removed:

* **`>` quotes** (any depth, ``>``, ``> >``, ``>>``) and the **attribution line** that introduces them, in the
  forms Gmail, Apple Mail, Thunderbird, Outlook, mobile clients and webmails write it, in English, Latvian,
  Lithuanian, Romanian, Slovak, Russian and a dozen other languages ("On Mon, 2 Nov 2026 at 10:00, Name <a@b>
  wrote:", "Name wrote on 02.11.2026 10:00:", "… rakstīja:", "… rašė:", "… a scris:", "… napísal(a):",
  "… написал(а):", "… пишет:", Gmail's Russian "пн, 2 нояб. 2026 г. в 10:00, Name <a@b>:", "Am … schrieb Name:"),
  also when the client wrapped it over up to four lines.
* a **trailing original/forwarded message**: an Outlook headers block ("From:/Sent:/To:/Subject:" and its
  translations, with or without the "____" or "-----" rule above it), a separator line ("-----Original
  Message-----", "-------- Forwarded Message --------", "Pārsūtītā ziņa", "Persiųstas laiškas", "Mesaj
  redirecționat", "Preposlaná správa", "Пересылаемое сообщение", "Исходное сообщение", "Begin forwarded
  message:", …), or an attribution line that is *not* followed by `>` lines (HTML mail turned into text loses
  the blockquote, so the quoted text follows the attribution unmarked). Everything from there on is dropped.
* **"Sent from my iPhone"-style footers** (and "Get Outlook for Android", "Nosūtīts no mana iPhone",
  "Išsiųsta iš mano iPhone", "Trimis de pe iPhone", "Odoslané z iPhonu", "Отправлено с iPhone", …) at the end.

The rules, in the order they matter:

1. **Inline replies are kept.** Text that follows a `>` block is the agent's (an attribution line needs a `>`
   block after it to be treated as the start of a *quote*, and a quote is only the `>` lines themselves), so
   when the agent writes between quoted blocks their lines are kept and the quoted lines dropped; where a quote
   was removed between two kept lines, exactly one blank line separates them.
2. **An attribution without `>` lines after it ends the new text** only when it is unmistakable: it ends with
   the "wrote:" verb and carries a time (10:00) or an e-mail address, or it has a date and ends with an e-mail
   address and a colon, or it is "<date> … schrieb/skrev <name>:". "Jānis wrote:" followed by plain text, "As I
   wrote on 1.11.2026:", or "The client wrote: …" inside a sentence are the agent's own text and stay. Right
   before a `>` block, though, any line ending with the verb ("Jānis rakstīja:") is its attribution and goes.
3. **An Outlook headers block** needs a From line and at least three different header kinds (From, Sent/Date,
   To, Subject, Cc, Reply-To), or From plus one more kind right under a "____"/"-----" rule.
4. **Nothing is cut from the very top.** If a separator, headers block or unquoted attribution comes before any
   new text, only that separator/header/attribution is removed and what follows is read as new text (so a
   forward without a note gives the forwarded message rather than an empty string). A `>` block at the top is
   still dropped: an agent's reply that is only a quote gives "".
5. A single `>` line standing alone in the agent's own text (the only `>` line in the message, not nested
   (">>", "> >"), with no attribution before it and the agent's text both before and after it, e.g. ">50 users
   need a licence") is not a quote. `>` inside a line ("Step 1 > Settings > Users") never is.
6. Footers and, once something was removed, rule lines ("--", "____", "-----") are trimmed from the end;
   signatures are not (the agent's "-- \\nIlze" stays).

Text where nothing is found comes back unchanged (only trailing whitespace trimmed); otherwise line ends are
normalised to LF. Every regular expression runs on a bounded slice of one line (or a join of at most a few
short lines) and has no nested quantifiers, so the work is linear in the input: a 767 KB line of ">" takes
milliseconds.
"""
from __future__ import annotations

import re

from mailbot.regex import compile_fast

__all__ = ["reply_text"]

_MAX_ATTR_LINE = 400      # a longer line is never part of an attribution
_MAX_ATTR = 500           # nor a longer join of lines
_MAX_WRAP = 4             # an attribution wraps over at most this many lines
_HEADER_SCAN = 20         # a headers block is looked for in this many lines

_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a\u202b\u202c"), None)
_INVISIBLE[0xA0] = " "
_INVISIBLE[0x2019] = "'"

# --- attribution lines ---------------------------------------------------------------------------------------

_VERBS = (r"wrote|writes|has\s+written|schrieb|schreef|het\s+volgende\s+geschreven|a\s+écrit|ha\s+scritto|"
          r"escribió|escreveu|skrev|kirjoitti|írta|yazdı|napisał(?:\(a\)|a)?|napísal(?:\(a\)|a)?|"
          r"napsal(?:\(a\)|a)?|píše|pisze|rakstīja|parašė|rašė|rašo|a\s+scris|scrie|написал(?:\(а\)|а)?|пишет|пише|"
          r"написав(?:\(ла\)|ла)?|写道|寫道")
# the verb at the end: "… wrote:", "… wrote on 02.11.2026 10:00:", "… schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:",
# Zoho's "---- On … wrote ----"
_VERB_END = re.compile(
    r"(?<!\w)(?:" + _VERBS + r")"
    r"(?:\s+(?:on|am|dňa|dne|le|в|at|o)\s[^:：\n]{0,60}?(?:[0-9]{1,2}:[0-9]{2}[^:：\n]{0,20})?)?"
    r"(?:\s*[:：]|\s*-{2,})\s*$", re.I)
_ANY_VERB = re.compile(r"(?<!\w)(?:" + _VERBS + r")", re.I)
# the verb before the name ("Am 03.02.2016 um 15:35 schrieb Max Mustermann <max@example.com>:")
_VERB_MID = re.compile(r"(?<!\w)(?:schrieb|skrev|schreef|kirjoitti)(?!\w)[^\n]{1,200}?[:：]\s*$", re.I)
# an address right before the final colon ("26.06.2014, 14:41, "Alexander L" <abc@example.com>:")
_ADDR_END = re.compile(r"[\w.+-]@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}(?:>|\))*\s*[:：]\s*$")
_DATE = re.compile(r"[0-9]{1,4}[./-][0-9]{1,2}|(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])|[0-9]{1,2}:[0-9]{2}")
_TIME = re.compile(r"[0-9]{1,2}:[0-9]{2}")
# "> wrote:" / ">:" left on a line of its own when a client wrapped "<a@b>" of an attribution
_BROKEN_WRAP = re.compile(r"\s*>\s*(?:(?:" + _VERBS + r")\s*)?[:：]\s*$", re.I)
# a line that continues the one before it inside a wrapped attribution
_CONTINUES = re.compile(r"(?:<|>|mailto:|\(|[\w.+-]+@|(?:" + _VERBS + r")(?!\w)|[a-zа-яёà-ÿāčēģīķļņšūžąęėįųăâîșțşţľĺŕôőűч])")


def _clean(line: str) -> str:
    return line.translate(_INVISIBLE).strip().strip("*_").strip()


def _is_quote(line: str) -> bool:
    return line.lstrip(" \t").startswith(">")


def _attribution(text: str) -> bool | None:
    """None if `text` (an attribution candidate, its lines joined) is not an attribution, else whether it is a
    strong one: one that ends the new text even without `>` lines after it."""
    if len(text) > _MAX_ATTR:
        return None
    m = _VERB_END.search(text)
    if m and text[:m.start()].strip(" ,-*>\t"):
        return bool(_TIME.search(text) or "@" in text)
    if _DATE.search(text) and (_ADDR_END.search(text[-250:]) or _VERB_MID.search(text)):
        return True
    return None


def _ends_like_attribution(s: str) -> bool:
    s = s.rstrip()
    return s.endswith((":", "：", "--"))


# --- separators and Outlook headers ------------------------------------------------------------------------

_SEPARATOR_PHRASES = {
    # en
    "original message", "forwarded message", "begin forwarded message", "forwarded e-mail", "forwarded email",
    "message forwarded",
    # lv
    "sākotnējais ziņojums", "sākotnējā ziņa", "oriģinālā ziņa", "oriģinālais ziņojums", "pārsūtītā ziņa",
    "pārsūtīta ziņa", "pārsūtīts ziņojums", "pārsūtītais ziņojums", "pārsūtītās ziņas sākums",
    "pārsūtītā ziņojuma sākums",
    # lt
    "originalus laiškas", "pradinis laiškas", "originalus pranešimas", "pradinis pranešimas",
    "persiųstas laiškas", "persiųstas pranešimas", "persiunčiamo laiško pradžia", "persiųsto laiško pradžia",
    # ro
    "mesaj original", "mesajul original", "mesaj redirecționat", "mesaj redirectionat", "mesaj redirecţionat",
    "mesaj transmis", "mesaj înaintat", "începutul mesajului redirecționat", "începutul mesajului redirecţionat",
    # sk, cs
    "pôvodná správa", "preposlaná správa", "začiatok preposlanej správy", "pôvodný e-mail", "preposlaný e-mail",
    "původní zpráva", "přeposlaná zpráva", "začátek přeposlané zprávy",
    # ru, uk
    "исходное сообщение", "пересылаемое сообщение", "пересланное сообщение", "оригинальное сообщение",
    "переадресованное сообщение", "начало переадресованного сообщения", "оригінальне повідомлення",
    "переслане повідомлення", "пересланий лист",
    # de, pl, fr, es, it, pt, nl, sv, no, da, fi, hu, tr
    "ursprüngliche nachricht", "original-nachricht", "originalnachricht", "weitergeleitete nachricht",
    "anfang der weitergeleiteten nachricht", "wiadomość oryginalna", "oryginalna wiadomość",
    "przekazana wiadomość", "początek przekazywanej wiadomości", "message d'origine", "message original",
    "message transféré", "message réexpédié", "début du message réexpédié", "mensaje original",
    "mensaje reenviado", "inicio del mensaje reenviado", "messaggio originale", "messaggio inoltrato",
    "inizio messaggio inoltrato", "mensagem original", "mensagem encaminhada", "oorspronkelijk bericht",
    "origineel bericht", "doorgestuurd bericht", "begin doorgestuurd bericht", "originalmeddelande",
    "ursprungligt meddelande", "vidarebefordrat meddelande", "opprinnelig melding", "videresendt melding",
    "oprindelig meddelelse", "videresendt meddelelse", "alkuperäinen viesti", "välitetty viesti",
    "eredeti üzenet", "továbbított üzenet", "orijinal mesaj", "iletilen mesaj",
}
_RULE = re.compile(r"[\s*]*(?:-{3,}|_{3,}|={3,}|—{2,})[\s*]*")
_DELIMITER = re.compile(r"[\s\-_=*#~+ᐧ—–]+")


def _is_separator(line: str) -> bool:
    """'-----Original Message-----', '-------- Forwarded Message --------', 'Begin forwarded message:' …"""
    if len(line) > 200 or ("--" not in line and "==" not in line and "__" not in line
                           and not line.rstrip().endswith((":", "："))):
        return False
    s = _clean(line)
    if not s or len(s) > 120:
        return False
    core = " ".join(s.strip("-=_*:： \t").split()).lower()
    if core not in _SEPARATOR_PHRASES:
        return False
    return s.startswith(("--", "==", "__")) or s.endswith(("--", "==", "__", ":", "："))


_HEADER_KEYS = {
    "from": "from|von|nuo|no|de la|de|od|от|від|da|från|fra|van|lähettäjä|feladó|kimden|expéditeur|remitente|"
            "afzender",
    "date": "sent|date|gesendet|datum|dată|nosūtīts|nosūtīšanas datums|datums|išsiųsta|data|trimis|odoslané|dátum|"
            "отправлено|дата|надіслано|envoyé|enviado|enviada em|enviada|inviato|verzonden|skickat|sendt|wysłano|"
            "wysłane|odesláno|lähetetty|elküldve|gönderildi",
    "to": "to|an|kam|kime|către|catre|pentru|komu|кому|till|til|aan|para|à|a|do|pro|címzett|vastaanottaja",
    "subject": "subject|betreff|tēma|temats|tema|subiect|predmet|тема|objet|oggetto|asunto|assunto|ämne|emne|"
               "onderwerp|temat|předmět|tárgy|aihe|konu",
    "cc": "cc|bcc|kopija|копия|копія|kópia|kopie|copie|cópia|kopio|másolat|kopia",
    "reply": "reply-to|risposta|antwort an|responder a",
}
_HEADER = compile_fast(
    r"[ \t]*\*{0,2}[ \t]*(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _HEADER_KEYS.items()) + r")[ \t]*\*{0,2}[ \t]*[:：]",
    re.I)


def _header_kind(line: str) -> str | None:
    if ":" not in line[:60] and "：" not in line[:60]:
        return None
    m = _HEADER.match(line[:200].translate(_INVISIBLE))
    return m.lastgroup if m else None


def _header_block(lines: list[str], i: int) -> tuple[int | None, int]:
    """(the end (exclusive) of the Outlook headers block starting at line i, or None if there is none; the line
    the scan stopped at: no block starts before it either, when there is none at i)."""
    kinds: set[str] = set()
    end = i
    loose = 0          # lines that are not headers: wrapped values ("To: a, b,\n c")
    k = i
    n = len(lines)
    while k < n and k < i + _HEADER_SCAN:
        line = lines[k]
        if _is_quote(line):
            break
        kind = _header_kind(line)
        if kind:
            kinds.add(kind)
            end = k + 1
            loose = 0
        elif not line.strip():
            if k + 1 < n and not _header_kind(lines[k + 1]):
                break
        else:
            loose += 1
            if loose > 2:
                break
        k += 1
    if "from" in kinds:
        if len(kinds) >= 3:
            return end, k
        if len(kinds) == 2:
            p = i - 1
            while p >= 0 and not lines[p].strip():
                p -= 1
            if p >= 0 and (_RULE.fullmatch(lines[p][:200]) or _is_separator(lines[p])):
                return end, k
    # a block starting inside this one would see a subset of its headers, and no rule line above it
    return None, k


# --- footers ---------------------------------------------------------------------------------------------

_DEVICE = (r"i?phon\w*|ipad\w*|ipod|android\w*|blackberry|samsung\w*|galaxy|huawei|xiaomi|nokia|"
           r"pixel|outlook\w*|gmail|yahoo|aol|mail|почт\w*|яндекс\w*|yandex\w*|mobil\w*|мобильн\w*|"
           r"телефон\w*|смартфон\w*|планшет\w*|tālru\w*|viedtālru\w*|telefon\w*|smartphone\w*|device|mailbox|"
           r"airmail|sparrow|spark|proton\w*|windows|k-9|bluemail|tablet\w*|ierīc\w*|įrengin\w*|dispozitiv\w*|"
           r"zariaden\w*|устройств\w*|приложени\w*|programm\w*")
_FOOTER_PREFIX = (r"sent from|sent with|sent via|sent by|from my|sent using|nosūtīts no|sūtīts no|nosūtīts ar|nosūtīts, izmantojot|"
                  r"išsiųsta iš|siųsta iš|išsiųsta naudojant|išsiųsta su|trimis de pe|trimis din|trimis cu|"
                  r"trimis prin|odoslané z|odoslané zo|odoslané cez|odoslané pomocou|poslané z|poslané zo|"
                  r"отправлено с|отправлено со|отправлено из|отправлено через|послано с|послано из|"
                  r"надіслано з|von meinem|gesendet von|envoyé de|envoyé depuis|enviado desde|enviado do|"
                  r"enviado de|sendt fra|skickat från|verzonden met|verzonden vanaf|verzonden van|wysłane z|"
                  r"wysłano z|inviato da|odesláno z|從我的")
_FOOTERS = [
    re.compile(r"sent from my [\w'+-]+(?: [\w'+-]+){0,4}"
               r"(?:[.,;]? +(?:please +)?(?:excuse|pardon|forgive) [\w' ]{1,40})?", re.I),
    re.compile(r"(?:get|download|iegūt|iegūstiet|gaukite|gauti|obțineți|obtineti|získať|získajte|получить|"
               r"получите|загрузите|holen sie sich) outlook (?:for|pentru|pre|для|für|priekš|skirta) \w+(?: \w+)?",
               re.I),
    re.compile(r"diese nachricht wurde von meinem [^,;]{1,80} gesendet", re.I),
    re.compile(r"(?:von meinem|з мого|с моего) [\w'+-]+(?: [\w'+-]+){0,3} (?:gesendet|отправлено|надіслано)", re.I),
]
_FOOTER_GENERIC = compile_fast(r"(?:" + _FOOTER_PREFIX + r")(?:[ \-]+[\w.'+-]+){1,6}", re.I)
_FOOTER_DEVICE = compile_fast(r"(?<!\w)(?:" + _DEVICE + r")(?!\w)", re.I)
_LINKS = re.compile(r"<[^<>\s]{1,300}>|https?://[^\s<>()]{1,300}|\((?:https?:|mailto:)[^()\s]{0,300}\)")
_MD_LINK = re.compile(r"\[([^\[\]]{1,80})\]\([^()\s]{1,300}\)")


def _is_footer(line: str) -> bool:
    s = line.translate(_INVISIBLE).strip()
    if not s or len(s) > 300:
        return False
    s = _MD_LINK.sub(r"\1", _LINKS.sub(" ", s))
    s = " ".join(s.strip("*_()[]<> \t").split()).rstrip(".!")
    if len(s) > 80:
        return False
    if any(f.fullmatch(s) for f in _FOOTERS):
        return True
    return bool(_FOOTER_GENERIC.fullmatch(s) and _FOOTER_DEVICE.search(s))


# --- the parser -------------------------------------------------------------------------------------------

_KEEP, _QUOTE, _DROP = 0, 1, 2


def _attribution_start(lines: list[str], j: int) -> tuple[int, bool] | None:
    """If line j ends an attribution, (its first line, strong)."""
    last = lines[j]
    if len(last) > _MAX_ATTR_LINE or not _ends_like_attribution(last):
        return None
    window = "\n".join(line[:_MAX_ATTR_LINE + 1] for line in lines[max(0, j - _MAX_WRAP + 1):j + 1])
    if "@" not in window and not _ANY_VERB.search(window):
        return None
    parts: list[str] = []
    strong = None
    for w in range(1, _MAX_WRAP + 1):          # the fewest lines that hold the verb and something before it
        k = j - w + 1
        if k < 0:
            break
        line = lines[k]
        if not line.strip() or len(line) > _MAX_ATTR_LINE or (k != j and _is_quote(line)):
            break
        parts.insert(0, _clean(line))
        strong = _attribution(" ".join(parts))
        if strong is not None:
            break
    if strong is None:
        return None
    i = j - len(parts) + 1
    # extend upwards over the lines of a wrapped attribution ("On Mon, …, Jeff <" / "jeff@x.org> wrote:")
    while i > 0 and i > j - _MAX_WRAP - 1:
        prev = i - 1
        cross = False
        if not lines[prev].strip() and lines[i].lstrip().startswith("<"):
            prev -= 1           # "On Thu, 31 Mar 2016 at 11:16 Some One\n\n<\nmailto:…> wrote:"
            cross = True
        if prev < 0:
            break
        p = lines[prev]
        pc = _clean(p)
        if not pc or _is_quote(p) or len(p) > _MAX_ATTR_LINE:
            break
        if not (re.search(r"[0-9@<]", pc) and (_CONTINUES.match(_clean(lines[i])) or pc.endswith("<"))):
            break
        if cross and pc.endswith((".", "!", "?", ":", ";")):
            break
        joined = " ".join([pc] + parts)
        if len(joined) > _MAX_ATTR:
            break
        parts.insert(0, pc)
        strong = bool(_attribution(joined)) or strong
        i = prev
    return i, strong


def reply_text(text: str) -> str:
    """The new text at the top of a reply: quotes, quote headers, a trailing original/forwarded message and
    "Sent from my iPhone" footers removed, trailing whitespace trimmed. Never raises (for a str)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    n = len(lines)
    kind = [_KEEP] * n
    cut = n
    kept: list[int] = []        # indices of kept non-blank lines, in order
    quoted_attribution = False
    no_header_before = 0

    def drop(a: int, b: int) -> None:
        for x in range(a, b):
            kind[x] = _DROP
        while kept and kept[-1] >= a:
            kept.pop()

    i = 0
    while i < n:
        line = lines[i]
        if _is_quote(line) and not (i > 0 and not _is_quote(lines[i - 1]) and lines[i - 1].strip()
                                    and _BROKEN_WRAP.match(line)):
            kind[i] = _QUOTE
            i += 1
            continue
        if not line.strip():
            i += 1
            continue
        if _is_separator(line):
            if kept:
                cut = i
                break
            drop(i, i + 1)
            i += 1
            continue
        if i >= no_header_before and _header_kind(line):
            end, no_header_before = _header_block(lines, i)
            if end is not None:
                if kept:
                    cut = i
                    break
                drop(i, end)
                i = end
                continue
        found = _attribution_start(lines, i)
        if found:
            start, strong = found
            nxt = i + 1
            while nxt < n and not lines[nxt].strip():
                nxt += 1
            if nxt < n and _is_quote(lines[nxt]):
                drop(start, i + 1)
                quoted_attribution = True
                i += 1
                continue
            if strong:
                drop(start, i + 1)      # forget any lines of it kept before we saw its end
                if kept:
                    cut = start
                    break
                i += 1
                continue
        kept.append(i)
        i += 1

    # rule 5: a lone ">" line in the middle of the agent's own text is not a quote
    quotes = [x for x in range(cut) if kind[x] == _QUOTE]
    if len(quotes) == 1 and not quoted_attribution:
        q = quotes[0]
        if (not lines[q].lstrip(" \t")[1:].lstrip(" \t").startswith(">")
                and any(x < q for x in kept) and any(x > q for x in kept)):
            kind[q] = _KEEP

    changed = cut < n or any(k != _KEEP for k in kind[:cut])
    out: list[str] = []
    removed = False
    for x in range(cut):
        if kind[x] != _KEEP:
            removed = True
            continue
        line = lines[x]
        blank = not line.strip()
        if removed:
            if blank:
                if not out or not out[-1].strip():
                    continue
            elif out and out[-1].strip():
                out.append("")
            removed = False
        out.append(line)

    while out:
        last = out[-1]
        if not last.strip():
            out.pop()
        elif _is_footer(last):
            out.pop()
            changed = True
        elif changed and _DELIMITER.fullmatch(last):
            out.pop()
        else:
            break
    return "\n".join(out).rstrip()
