"""mailbot's own DKIM and DMARC check, for a border listener (listen.smtp.border): nobody else checked the mail there, so an
agent's command by `authres` is proven by verifying the agent's DKIM signature here (dkimpy; keys looked up in DNS
through the system resolver).

The result counts like a trusted Authentication-Results of `dkim=pass` for the signing domain; alignment with the
From domain is judged as for any such header (mailbot.agents.auth.authres_pass). It runs before the message's
transaction (the route stage), so a slow DNS answer never holds the database's write lock.
"""
from __future__ import annotations

import logging
import re

import dkim

log = logging.getLogger("mailbot.vette")
_D = re.compile(rb"(?:^|;)\s*d\s*=\s*([^;\s]+)", re.I)
DNS = dkim.dnsplug.get_txt  # the system resolver (dnspython); tests put a stub here


def verified_domains(raw: bytes, timeout: float = 5) -> list[str]:
    """The domains whose DKIM signature on `raw` verifies (the first valid signature's, dkimpy checks one)."""
    signatures = re.findall(rb"^DKIM-Signature:(.*(?:\r?\n[ \t].*)*)", raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0],
                            re.I | re.M)
    if not signatures:
        return []
    try:
        ok = dkim.verify(raw, dnsfunc=lambda name, timeout=timeout: DNS(name, timeout=timeout), timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - a broken signature or DNS failure is simply "not verified"
        log.info("DKIM check failed: %s", type(exc).__name__)
        return []
    if not ok:
        return []
    found = _D.search(re.sub(rb"\s+", b"", signatures[0]))
    return [found.group(1).decode("ascii", "replace").lower()] if found else []


def dmarc_pass(from_domain: str, dkim_domain: str, timeout: float = 5) -> bool:
    """DMARC (RFC 7489) by DKIM: the From domain publishes a DMARC record and the verified signing domain aligns
    with it (relaxed: one is the other or a subdomain of it)."""
    if not from_domain or not dkim_domain:
        return False
    aligned = (dkim_domain == from_domain or dkim_domain.endswith("." + from_domain)
               or from_domain.endswith("." + dkim_domain))
    if not aligned:
        return False
    try:
        record = DNS(f"_dmarc.{from_domain}.".encode("ascii"), timeout=timeout)
    except Exception:  # noqa: BLE001 - no answer: no DMARC verdict
        return False
    return bool(record) and record.lstrip().lower().startswith(b"v=dmarc1")


def result_header(authserv_id: str, raw: bytes, from_domain: str = "") -> str | None:
    """Our own Authentication-Results value for `raw` (None when no signature verifies): dkim=pass for the
    signing domain, and dmarc=pass when the From domain's DMARC record is met by that signature."""
    domains = verified_domains(raw)
    if not domains:
        return None
    dmarc = f"; dmarc=pass header.from={from_domain}" if dmarc_pass(from_domain.lower(), domains[0]) else ""
    return f"{authserv_id}; dkim=pass header.d={domains[0]}{dmarc}"
