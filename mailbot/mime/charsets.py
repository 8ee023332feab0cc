"""Charsets: which codec a declared label means, which charset undeclared 8-bit text is in, and bytes to text
that never fails and loses nothing (a byte no charset reads is kept as its windows-1252 character).

Support mail from the Baltics and Russia arrives in every charset there is, often declared wrongly or not
at all: text that is valid UTF-8 is UTF-8, else it is read in the most plausible of the charsets our clients
use (see `detect_charset`).
"""
from __future__ import annotations

import codecs
import re

# Charset labels seen in real mail that Python does not know, or knows under another name.
CHARSET_ALIASES = {
    "uft-8": "utf-8", "utf8": "utf-8", "unicode-1-1-utf-7": "utf-7", "x-unknown": None, "unknown-8bit": None,
    "ks_c_5601-1987": "cp949", "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
    "iso-8859-8-i": "iso-8859-8", "windows-874": "cp874", "x-user-defined": None, "default": None,
    "us-ascii": "ascii", "ansi_x3.4-1968": "ascii", "ascii": "ascii", "x-mac-roman": "mac-roman",
    "iso-2022-jp-ms": "iso-2022-jp", "x-sjis": "shift_jis", "shift-jis": "shift_jis", "big5-hkscs": "big5hkscs",
    "iso-8859-8-e": "iso-8859-8", "iso-8859-6-i": "iso-8859-6", "iso-8859-6-e": "iso-8859-6", "238": "cp1250",
}
# Codecs Python has that are not charsets a mail can declare (they would interpret escapes or never decode).
_NOT_CHARSETS = {"unicode_escape", "raw_unicode_escape", "punycode", "idna", "undefined", "mbcs", "oem",
                 "utf_8_sig", "palmos", "unicode_internal"}
# Single-byte labels that misconfigured software puts on everything: valid UTF-8 under them is UTF-8.
_DEFAULT_LABELS = {"ascii", "iso8859-1", "cp1252", "iso8859-15"}  # codecs.lookup() names
_CHARSET_TOKEN = re.compile(r"[A-Za-z0-9_.:+-]+")
_DETECT_SAMPLE = 65536


def charset_name(label: str | None) -> str | None:
    """The Python codec for a declared charset label, or None when there is none we may use."""
    if not label:
        return None
    m = _CHARSET_TOKEN.search(str(label))
    if not m:
        return None
    name = m.group(0).lower().strip(".:")
    name = CHARSET_ALIASES.get(name, name)
    if name is None:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("-", "_") in _NOT_CHARSETS:
        return None
    return info.name


def _strict(data: bytes, codec: str | None) -> str | None:
    if not codec:
        return None
    try:
        return data.decode(codec)
    except (LookupError, UnicodeDecodeError, ValueError):
        return None


_CENTRAL = set("áäčďéěíĺľňóôöőŕřšťúůüűýžąćęłńśźżăâîşţÁÄČĎÉĚÍĹĽŇÓÔÖŐŔŘŠŤÚŮÜŰÝŽĄĆĘŁŃŚŹŻĂÂÎŞŢ")
_LETTERS = {
    # charsets our clients (lv, lt, ro, sk, ru, en) and the mail around them use, each with the non-ASCII
    # characters a real text in it is made of; the first one that decodes most plausibly wins.
    "cp1251": None, "koi8-r": None,  # Cyrillic: judged by letter case, see _plausibility
    "cp1257": set("āčēģīķļņšūžąęėįųõäöüĀČĒĢĪĶĻŅŠŪŽĄĘĖĮŲÕÄÖÜ„“”–—…€"),
    # ISO-8859-2 before windows-1250: they differ in a few letters (š ž ť ľ), and where the ISO text has
    # them windows-1250 still reads letters (ą ľ ...), while windows-1250 text read as ISO gives controls.
    "iso8859-2": _CENTRAL,
    "cp1250": _CENTRAL | set("„“”‚‘’–—…€"),
    "gb18030": None,  # judged by the share of common (GB2312 level 1) characters
    "cp1252": set("àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœšžÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒŠŽ“”‘’–—…€"),
}


def _plausibility(text: str, codec: str) -> float:
    """Share of the non-ASCII characters that a real text in `codec` would contain."""
    good = total = 0
    letters = _LETTERS.get(codec)
    for i, ch in enumerate(text):
        if ch < "\x80":
            continue
        total += 1
        if codec in ("cp1251", "koi8-r"):
            # Both read any high byte as a Cyrillic letter; the wrong one swaps the case of nearly all. A
            # Cyrillic letter glued to a Latin one is a Western letter read in the wrong charset.
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < len(text) else " "
            if ("\u0400" <= ch <= "\u04ff" and (ch.islower() or not prev.isalpha())
                    and not (prev.isascii() and prev.isalpha()) and not (nxt.isascii() and nxt.isalpha())):
                good += 1
        elif codec == "gb18030":
            if "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef":
                good += 1
            elif "\u4e00" <= ch <= "\u9fff":
                try:
                    good += 0xB0 <= ch.encode("gb2312")[0] <= 0xD7
                except UnicodeEncodeError:
                    pass
        elif letters is not None:
            good += ch in letters or ch == "\xa0"
        else:
            good += ch.isalpha()
    return good / total if total else 1.0


def detect_charset(data: bytes, hints: tuple = ()) -> str:
    """The charset of undeclared (or wrongly declared) 8-bit text: UTF-8 if it is valid UTF-8, else the most
    plausible of the hints and the charsets in `_LETTERS`, judged on a sample (the first hint, the charset
    the message declares elsewhere, wins a close call), else latin-1, which reads any byte."""
    sample = data[:_DETECT_SAMPLE]
    final = len(sample) == len(data)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=final)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = [h for h in dict.fromkeys(hints) if h and h not in ("ascii", "utf-8")]
    best, best_score = None, -1.0
    for n, codec in enumerate(dict.fromkeys(candidates + list(_LETTERS))):
        try:
            text = codecs.getincrementaldecoder(codec)().decode(sample, final=final)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _plausibility(text, codec) + (0.1 if n == 0 and candidates else 0.0)
        if score > best_score:
            best, best_score = codec, score
    return best or "latin-1"


def _stray_bytes(exc: UnicodeDecodeError) -> tuple[str, int]:
    """Decoding error handler: a byte the charset cannot read is kept as its windows-1252 (else latin-1)
    character instead of U+FFFD, so nothing of the text is lost."""
    bad = exc.object[exc.start:exc.end]
    out = []
    for b in bad:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out), exc.end


codecs.register_error("mailbot-stray", _stray_bytes)


def _nearly(data: bytes, codec: str | None) -> str | None:
    """The text if `codec` reads all but a stray byte or two (a truncated character) of it."""
    if not codec:
        return None
    try:
        text = data.decode(codec, errors="replace")
    except (LookupError, ValueError):
        return None
    high = sum(1 for b in data[:_DETECT_SAMPLE] if b > 127)
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for ch in text[:_DETECT_SAMPLE] if ch > "\x7f" and ch != "\ufffd")
    if bad > max(1, high // 100) or good < 2 * bad:  # a stray byte in a text the charset does read
        return None
    return data.decode(codec, errors="mailbot-stray")


def decode_bytes(data: bytes, label: str | None = None, hint: str | None = None) -> str:
    """Text from bytes, never failing: the declared charset if it decodes cleanly (but valid UTF-8 under a
    'default' single-byte label is UTF-8), else UTF-8, else the declared charset or UTF-8 with a stray bad
    byte, else the most plausible charset (see `detect_charset`; `hint` is the message's own charset)."""
    codec = charset_name(label)
    if codec in _DEFAULT_LABELS and not data.isascii():
        text = _strict(data, "utf-8")
        if text is not None:
            return text
    text = _strict(data, codec)
    if text is not None:
        return text
    if data.isascii():
        return data.decode("ascii")
    text = _strict(data, "utf-8") or _nearly(data, codec) or _nearly(data, "utf-8")
    if text is not None:
        return text
    # under a Western 'default' label that is wrong, windows-1252 wins a close call
    hints = (charset_name(hint), "cp1252" if codec in _DEFAULT_LABELS else codec)
    return data.decode(detect_charset(data, hints), errors="mailbot-stray")
