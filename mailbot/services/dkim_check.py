"""mailbot's own DKIM check, for a border listener (listen.smtp.border): nobody else checked the mail there, so an
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


def result_header(authserv_id: str, raw: bytes) -> str | None:
    """Our own Authentication-Results value for `raw` (None when no signature verifies)."""
    domains = verified_domains(raw)
    return f"{authserv_id}; dkim=pass header.d={domains[0]}" if domains else None
