"""The parameters of a Content-Type or Content-Disposition value (charset, boundary, file names), parsed from
the raw header: RFC 2231 continuations and charsets, quoted strings, encoded words and raw 8-bit bytes."""
from __future__ import annotations

import re

from mailbot.mime.charsets import decode_bytes
from mailbot.mime.headers import FOLD, NEWLINES, unescape_8bit


def _split_params(value: str) -> list[str]:
    out, cur, quoted, escaped = [], [], False, False
    for ch in value:
        if escaped:
            cur.append(ch)
            escaped = False
        elif ch == "\\" and quoted:
            cur.append(ch)
            escaped = True
        elif ch == '"':
            cur.append(ch)
            quoted = not quoted
        elif ch == ";" and not quoted:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def header_params(value: str | None, hint: str | None = None) -> dict[str, str]:
    """The parameters of a Content-Type / Content-Disposition value, decoded: RFC 2231 (charset'lang'
    percent-encoding, continuations name*0*, name*1 ...), quoted strings, and raw 8-bit bytes."""
    if not value:
        return {}
    value = NEWLINES.sub(" ", FOLD.sub("", str(value)))
    plain: dict[str, str] = {}
    sections: dict[str, dict[int, tuple[bool, str]]] = {}
    for item in _split_params(value)[1:]:
        key, sep, val = item.partition("=")
        key = key.strip().lower()
        if not sep or not key:
            continue
        m = re.fullmatch(r"([^*]+)\*(?:(\d{1,3})\*?|)", key) if "*" in key else None
        if m:
            sections.setdefault(m.group(1), {})[int(m.group(2) or 0)] = (key.endswith("*"), _unquote(val))
        else:
            plain.setdefault(key, _unquote(val))
    for name, parts in sections.items():
        charset, chunks = None, []
        for index in sorted(parts):
            extended, text = parts[index]
            if extended:
                if index == min(parts) and text.count("'") >= 2:
                    charset, _, text = text.split("'", 2)
                raw = text.encode("utf-8", "surrogateescape")
                chunks.append(re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw))
            else:
                chunks.append(text.encode("utf-8", "surrogateescape"))
        plain[name] = decode_bytes(b"".join(chunks), charset, hint)  # RFC 2231 wins over a plain duplicate
    return {k: unescape_8bit(v, hint) for k, v in plain.items()}
