"""Shared helpers for the tests that run the real-world corpus in shared/corpus (see its README.md).

The corpus lives beside the repository (``shared/corpus`` next to ``main/``); MAILBOT_CORPUS overrides that.
Files are always read as bytes: the corpus has CR-only, CRLF and mixed line endings and raw 8-bit headers.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import os
import re
import unicodedata
from pathlib import Path

import yaml

CORPUS = Path(os.environ.get("MAILBOT_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")


def available() -> bool:
    return (CORPUS / "manifest.json").is_file()


@functools.cache
def manifest() -> dict:
    return json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))


def messages() -> list[dict]:
    """Manifest entries of the complete RFC 5322 messages (role 'message'), in manifest order."""
    return [f for f in manifest()["files"] if f["role"] == "message"] if available() else []


def read(path: str) -> bytes:
    return (CORPUS / path).read_bytes()


_RETURN_PATH = re.compile(rb"^Return-Path:[ \t]*<([^<>\r\n]*)>", re.I | re.M)
_FROM_ADDR = re.compile(rb"^From:[^\r\n]*?<?([^\s<>\"'@]+@[^\s<>\"']+?)>?[ \t]*(?:\(.*\))?\r?$", re.I | re.M)
_HEADER_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")


def envelope_sender(raw: bytes) -> str:
    """What the MTA would give as MAIL FROM: the (first) Return-Path the delivering MTA stamped, '' for the
    null path <>; without one, the From address; '' when neither has an address."""
    end = _HEADER_END.search(raw)
    head = raw[: end.start() if end else 65536][:65536].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    m = _RETURN_PATH.search(head)
    if m:
        return m.group(1).decode("latin-1").strip().lower()
    m = _FROM_ADDR.search(head)
    return m.group(1).decode("latin-1").lower() if m else ""


# --- Zammad expectations -------------------------------------------------------------------------------

class ZammadLoader(yaml.SafeLoader):
    """The .yml files are Ruby YAML: hashes tagged !ruby/..., binary data tagged !binary."""


ZammadLoader.add_multi_constructor("!ruby/", lambda loader, suffix, node: loader.construct_mapping(node, deep=True))
ZammadLoader.add_constructor("!binary", lambda loader, node: base64.b64decode(loader.construct_scalar(node)))


def zammad_cases() -> list[tuple[str, str]]:
    """(box path, yml path) for every Zammad message with an expectation file."""
    out = []
    for f in messages():
        if f["source"] == "zammad":
            ymls = [e for e in f.get("expectations", []) if e.endswith(".yml")]
            if ymls:
                out.append((f["path"], ymls[0]))
    return out


def zammad_expected(path: str) -> dict:
    with open(CORPUS / path, "rb") as fh:
        return yaml.load(fh, Loader=ZammadLoader)


_TAG = re.compile(r"<[^>]*>")
# Ruby decodes &lang; / &rang; to the HTML 4 code points (U+2329/U+232A, NFKC: U+3008/U+3009), Python to
# the HTML 5 ones (U+27E8/U+27E9): the same character for this comparison.
_SAME = str.maketrans({"\u3008": "\u27e8", "\u3009": "\u27e9", "\u2329": "\u27e8", "\u232a": "\u27e9"})
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2028\u2029\u2060\ufeff\u00ad]+")


def flatten(text: str, is_html: bool = False) -> str:
    """Text reduced for a loose comparison: tags stripped (HTML), entities decoded, NFKC, case-folded and
    every whitespace (and zero-width) character removed, so line wrapping and markup do not matter."""
    if is_html:
        text = html.unescape(_TAG.sub(" ", text))
    text = unicodedata.normalize("NFKC", text).casefold().translate(_SAME)
    return _INVISIBLE.sub("", text)


def attachment_data(a: dict) -> bytes:
    data = a.get("data")
    if isinstance(data, bytes):
        return data
    return (data or "").encode("utf-8")


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def real_attachments(expected: dict) -> list[dict]:
    """Zammad keeps the original HTML body as an attachment 'message.html' (content-alternative /
    original-format); that is not a file the user attached."""
    out = []
    for a in expected.get("attachments") or []:
        prefs = a.get("preferences") or {}
        if a.get("filename") == "message.html" and (prefs.get("content-alternative") or prefs.get("original-format")):
            continue
        out.append(a)
    return out


ZAMMAD_FIELDS = ("subject", "from_email", "from_display_name", "body", "attachments")


def body_agrees(expected: dict, parsed) -> bool:
    """Zammad's body is its own rendering (sanitised HTML, or text with trailing whitespace and some
    signature-like content removed). Rule: flatten both sides (tags stripped, entities decoded, NFKC,
    case-folded, all whitespace removed) and require Zammad's text to be contained in our text, in our
    HTML part rendered to text, or in our HTML part with its tags stripped (Zammad drops link targets our
    rendering keeps). Zammad writes 'no visible content' for a message without any text: that agrees only
    with an empty text of ours, as does an empty expected body."""
    from mailbot.mime.html import html_to_text

    want = flatten(expected.get("body") or "", is_html=expected.get("content_type") == "text/html")
    ours = [flatten(parsed.text or "")]
    if parsed.html:
        ours += [flatten(html_to_text(parsed.html)), flatten(parsed.html, is_html=True)]
    if not want or want == "novisiblecontent":
        return not ours[0]
    return any(want in o for o in ours)


def attachments_agree(expected: dict, parsed) -> bool:
    """Every real attachment Zammad found is among ours with the same file name and the same bytes (MD5)."""
    ours = {(a.filename, md5(a.data)) for a in parsed.attachments}
    return all((a.get("filename"), md5(attachment_data(a))) in ours for a in real_attachments(expected))


def zammad_compare(expected: dict, parsed) -> dict[str, bool]:
    """Per-field agreement of our parse with Zammad's. Header values are compared exactly (after decoding);
    the address case-insensitively, as we store addresses lower-cased."""
    return {
        "subject": (expected.get("subject") or "") == parsed.subject,
        "from_email": (expected.get("from_email") or "").lower() == parsed.sender,
        "from_display_name": (expected.get("from_display_name") or "") == parsed.sender_name,
        "body": body_agrees(expected, parsed),
        "attachments": attachments_agree(expected, parsed),
    }
