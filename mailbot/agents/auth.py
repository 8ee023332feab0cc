"""Who may command a ticket (invariant 6): a configured agent who proves it.

Proof is a signed reply address and/or a trusted Authentication-Results header:

* **token** — every notification an agent gets has a reply address ``help+mb<ticket>.<mac>@vendor.lv`` whose
  MAC (HMAC-SHA256 under a secret, truncated to 80 bits) binds the ticket to that agent's address (for an
  objection sent to the head of service: ``iebildumi+mo<objection>.<mac>@``, the kind signed too). A reply to it
  proves the sender received our notification; it proves nothing for another ticket or another agent.
* **authres** — the receiving server's verdict (RFC 8601) from a configured authserv-id: ``dmarc=pass``, or
  ``dkim=pass`` with a signing domain aligned with the From domain. Only the topmost trusted header counts, so a
  sender cannot bring their own.

The secret is the installation's (mailbot.store.secrets). Pure functions: no I/O.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from mailbot.agents.notices import Notice, notice

TOKEN = re.compile(r"^(?P<local>[^+@\s]+)\+m(?P<kind>[bo])(?P<ticket>\d{1,12})\.(?P<mac>[a-z2-7]{16})@(?P<domain>[^@\s]+)$", re.I)
_RESULT = re.compile(r"\b(dkim|dmarc|spf)\s*=\s*(\w+)((?:\s+[\w.-]+\.[\w.-]+\s*=\s*[^\s;]+)*)", re.I)
_PROP = re.compile(r"([\w.-]+)\s*=\s*([^\s;]+)")


# What a signed address names: a ticket (+mb12.) or an objection (+mo7.); the kind is part of what is signed.
TICKET, OBJECTION = "b", "o"


def _mac(secret: bytes, ticket_id: int, agent: str, kind: str = TICKET) -> str:
    subject = f"{ticket_id}" if kind == TICKET else f"{kind}{ticket_id}"
    digest = hmac.new(secret, f"{subject}:{agent.lower()}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:10]).decode().lower()


def reply_address(mailbox_address: str, ticket_id: int, agent: str, secret: bytes, kind: str = TICKET) -> str:
    local, _, domain = mailbox_address.partition("@")
    return f"{local}+m{kind}{ticket_id}.{_mac(secret, ticket_id, agent, kind)}@{domain}"


@dataclass(frozen=True)
class Token:
    ticket_id: int  # the ticket's id, or the objection's (kind OBJECTION)
    address: str  # the tokened address it was found in
    kind: str = TICKET


def find_token(addresses, mailbox_address: str) -> Token | None:
    """The first of our tokened addresses among the envelope recipient and the To/Cc/Delivered-To headers."""
    local, _, domain = mailbox_address.lower().partition("@")
    for address in addresses:
        m = TOKEN.match((address or "").strip().lower())
        if m and m["local"] == local and m["domain"] == domain:
            return Token(int(m["ticket"]), m.group(0), m["kind"])
    return None


def token_valid(token: Token, agent: str, secret: bytes) -> bool:
    mac = TOKEN.match(token.address)["mac"]
    return hmac.compare_digest(mac, _mac(secret, token.ticket_id, agent, token.kind))


def authres_pass(headers: list[str], trusted: tuple[str, ...], from_domain: str) -> tuple[bool, Notice]:
    """(passed, why) from the topmost Authentication-Results header of a trusted server."""
    trusted = tuple(t.lower() for t in trusted)
    for value in headers:
        authserv = value.split(";", 1)[0].strip().split()[0].lower() if value.strip() else ""
        if authserv not in trusted:
            continue
        results = [(method.lower(), result.lower(), dict((k.lower(), v.strip('"').lower())
                                                         for k, v in _PROP.findall(props)))
                   for method, result, props in _RESULT.findall(value)]
        dmarc = [r for m, r, _ in results if m == "dmarc"]
        if "pass" in dmarc:
            return True, notice("authres-dmarc-pass", server=authserv)
        if "fail" in dmarc:  # the domain's own policy (strict alignment, say) said no: no DKIM second opinion
            return False, notice("authres-dmarc-fail", server=authserv)
        signers = [p.get("header.d") or p.get("header.i", "").rpartition("@")[2]
                   for m, r, p in results if m == "dkim" and r == "pass"]
        for d in signers:  # relaxed alignment: the same organisation's domain, either way round (the From
            # domain is a configured agent's, so a subdomain of it is that organisation's too)
            if d and (from_domain == d or from_domain.endswith("." + d) or d.endswith("." + from_domain)):
                return True, notice("authres-dkim-aligned", server=authserv, domain=d)
        if signers:
            named = ", ".join(d or "?" for d in signers)
            return False, notice("authres-dkim-not-aligned", server=authserv, domains=named, from_domain=from_domain)
        return False, notice("authres-no-pass", server=authserv)
    return False, notice("authres-none")


def authenticate(mode: str, *, token_ok: bool | None, authres: tuple[bool, Notice]) -> tuple[bool, list[Notice]]:
    """Combine the two proofs as the configured mode asks; (ok, why: the notices that say what each proof gave)."""
    tok = notice("token-valid" if token_ok else ("token-missing" if token_ok is None else "token-invalid"))
    ar_ok, ar_why = authres
    if mode == "token":
        return bool(token_ok), [tok]
    if mode == "authres":
        return ar_ok, [ar_why]
    if mode == "token_or_authres":
        return bool(token_ok) or ar_ok, [tok, ar_why]
    return bool(token_ok) and ar_ok, [tok, ar_why]  # token_and_authres
