"""What quoted text looks like, line by line: attribution lines ("… wrote:" in a dozen languages), separators and
Outlook's header blocks, and mobile footers. `mailbot.agents.quotes` uses these to cut an agent's reply down to
their own words. Each recogniser looks at a bounded slice of a line (see quotes' docstring on linear time).
"""
from __future__ import annotations

import re

from mailbot.base.regex import compile_fast

MAX_ATTR_LINE = 400      # a longer line is never part of an attribution
MAX_ATTR = 500           # nor a longer join of lines
MAX_WRAP = 4             # an attribution wraps over at most this many lines
HEADER_SCAN = 20         # a headers block is looked for in this many lines

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
ANY_VERB = re.compile(r"(?<!\w)(?:" + _VERBS + r")", re.I)
# the verb before the name ("Am 03.02.2016 um 15:35 schrieb Max Mustermann <max@example.com>:")
_VERB_MID = re.compile(r"(?<!\w)(?:schrieb|skrev|schreef|kirjoitti)(?!\w)[^\n]{1,200}?[:：]\s*$", re.I)
# an address right before the final colon ("26.06.2014, 14:41, "Alexander L" <abc@example.com>:")
_ADDR_END = re.compile(r"[\w.+-]@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}(?:>|\))*\s*[:：]\s*$")
_DATE = re.compile(r"[0-9]{1,4}[./-][0-9]{1,2}|(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])|[0-9]{1,2}:[0-9]{2}")
_TIME = re.compile(r"[0-9]{1,2}:[0-9]{2}")
# "> wrote:" / ">:" left on a line of its own when a client wrapped "<a@b>" of an attribution
BROKEN_WRAP = re.compile(r"\s*>\s*(?:(?:" + _VERBS + r")\s*)?[:：]\s*$", re.I)
# a line that continues the one before it inside a wrapped attribution
CONTINUES = re.compile(r"(?:<|>|mailto:|\(|[\w.+-]+@|(?:" + _VERBS + r")(?!\w)|[a-zа-яёà-ÿāčēģīķļņšūžąęėįųăâîșțşţľĺŕôőűч])")


def clean(line: str) -> str:
    return line.translate(_INVISIBLE).strip().strip("*_").strip()


def is_quote(line: str) -> bool:
    return line.lstrip(" \t").startswith(">")


def attribution(text: str) -> bool | None:
    """None if `text` (an attribution candidate, its lines joined) is not an attribution, else whether it is a
    strong one: one that ends the new text even without `>` lines after it."""
    if len(text) > MAX_ATTR:
        return None
    m = _VERB_END.search(text)
    if m and text[:m.start()].strip(" ,-*>\t"):
        return bool(_TIME.search(text) or "@" in text)
    if _DATE.search(text) and (_ADDR_END.search(text[-250:]) or _VERB_MID.search(text)):
        return True
    return None


def ends_like_attribution(s: str) -> bool:
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
DELIMITER = re.compile(r"[\s\-_=*#~+ᐧ—–]+")


def is_separator(line: str) -> bool:
    """'-----Original Message-----', '-------- Forwarded Message --------', 'Begin forwarded message:' …"""
    if len(line) > 200 or ("--" not in line and "==" not in line and "__" not in line
                           and not line.rstrip().endswith((":", "："))):
        return False
    s = clean(line)
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


def header_kind(line: str) -> str | None:
    if ":" not in line[:60] and "：" not in line[:60]:
        return None
    m = _HEADER.match(line[:200].translate(_INVISIBLE))
    return m.lastgroup if m else None


def header_block(lines: list[str], i: int) -> tuple[int | None, int]:
    """(the end (exclusive) of the Outlook headers block starting at line i, or None if there is none; the line
    the scan stopped at: no block starts before it either, when there is none at i)."""
    kinds: set[str] = set()
    end = i
    loose = 0          # lines that are not headers: wrapped values ("To: a, b,\n c")
    k = i
    n = len(lines)
    while k < n and k < i + HEADER_SCAN:
        line = lines[k]
        if is_quote(line):
            break
        kind = header_kind(line)
        if kind:
            kinds.add(kind)
            end = k + 1
            loose = 0
        elif not line.strip():
            if k + 1 < n and not header_kind(lines[k + 1]):
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
            if p >= 0 and (_RULE.fullmatch(lines[p][:200]) or is_separator(lines[p])):
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


def is_footer(line: str) -> bool:
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
