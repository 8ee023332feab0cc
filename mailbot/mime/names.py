"""File names for attachments: the name the sender gave (RFC 2231 and encoded words decoded, made safe to
store), else one made up from the part (an attached message's subject, an Outlook-style Content-ID, its
Content-Description, its type), unique within the message."""
from __future__ import annotations

import re
from email.message import Message

from mailbot.mime.headers import content_id, decode_text_header, raw_header
from mailbot.mime.params import header_params

_CID_NAME = re.compile(r"^([^@\s/\\]{1,120}\.[A-Za-z][A-Za-z0-9]{1,4})(?:@|$)")
# Controls (C0 and C1), path separators, and bidirectional overrides that disguise "invoice\u202efdp.exe".
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f/\\\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_EXTENSIONS = {
    "image/jpeg": "jpg", "image/pjpeg": "jpg", "image/jpg": "jpg", "image/png": "png", "image/gif": "gif",
    "image/bmp": "bmp", "image/tiff": "tif", "image/svg+xml": "svg", "image/webp": "webp",
    "text/plain": "txt", "text/html": "html", "text/calendar": "ics", "text/csv": "csv", "text/x-vcard": "vcf",
    "text/vcard": "vcf", "text/xml": "xml", "application/pdf": "pdf", "application/zip": "zip",
    "application/octet-stream": "bin", "application/ms-tnef": "dat", "application/vnd.ms-tnef": "dat",
    "application/pgp-signature": "asc", "application/pgp-encrypted": "pgp", "application/pkcs7-signature": "p7s",
    "application/x-pkcs7-signature": "p7s", "application/pkcs7-mime": "p7m", "application/x-pkcs7-mime": "p7m",
    "application/msword": "doc", "application/vnd.ms-excel": "xls", "application/xml": "xml",
    "application/json": "json", "video/quicktime": "mov", "video/mp4": "mp4", "audio/mpeg": "mp3",
    "audio/wav": "wav", "audio/x-wav": "wav", "message/rfc822": "eml", "text/rfc822-headers": "txt",
}


def safe_name(name: str) -> str | None:
    name = _UNSAFE_NAME.sub("_", name).strip().strip(".") if name.strip(" .") else ""
    return name[:255] or None


def declared_name(part: Message, hint: str | None) -> str | None:
    """The name the sender gave: Content-Disposition filename, else Content-Type name; RFC 2231 and
    encoded words (which clients put in quoted names, against the RFC) both decoded."""
    for header, param in (("Content-Disposition", "filename"), ("Content-Type", "name")):
        value = header_params(raw_header(part, header), hint).get(param)
        if value and value.strip():
            name = safe_name(decode_text_header(value, hint))
            if name:
                return name
    return None


def default_name(part: Message, ctype: str, hint: str | None) -> str:
    """A name for a part that has none: an attached message's subject ('Re: offer.eml'), the file name in
    an Outlook-style Content-ID (image001.jpg@...), its Content-Description ('Delivery report.txt'), else
    the type ('image.jpg')."""
    payload = part.get_payload()
    if ctype == "message/rfc822" and isinstance(payload, list) and payload:
        subject = raw_header(payload[0], "Subject")
        name = safe_name(decode_text_header(subject, hint)[:200]) if subject else None
        if name:
            return f"{name}.eml"
    cid = _CID_NAME.match(content_id(part) or "")
    if cid and safe_name(cid.group(1)):
        return safe_name(cid.group(1))
    ext = "eml" if ctype == "message/rfc822" else "txt" if ctype.startswith("message/") else (
        _EXTENSIONS.get(ctype) or re.sub(r"^x-", "", ctype.partition("/")[2].split("+")[0]) or "bin")
    description = raw_header(part, "Content-Description")
    description = safe_name(decode_text_header(description, hint)) if description else None
    if description and len(description) <= 100:
        return description if re.search(r"\.[A-Za-z0-9]{1,5}$", description) else f"{description}.{ext}"
    if ctype == "message/rfc822":
        return "message.eml"
    if ctype.startswith("message/") or ctype == "text/rfc822-headers":
        return ctype.replace("/", "-") + ".txt"
    main = ctype.partition("/")[0]
    stem = main if main in ("image", "audio", "video", "text") else "attachment"
    return f"{stem}.{ext}"


def unique_name(name: str, used: set) -> str:
    """`name`, or when `used` has it already, with the first free number before its extension (image1.jpg)."""
    if name not in used:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    n = 1
    while f"{stem}{n}{dot}{ext}" in used:
        n += 1
    return f"{stem}{n}{dot}{ext}"
