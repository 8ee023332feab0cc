"""What the guard would do with a message, without storing anything: `mailbot privacy scan FILE.eml`."""
from __future__ import annotations

from mailbot.mime.message import parse
from mailbot.privacy import Finding
from mailbot.privacy.scan import Context, scan_message


def decide(policy, findings: list, unscannable: list[str]) -> tuple[str, str]:
    """(decision, why): clean | keep | discard | redact | drop (unscannable files only)."""
    if not policy.enabled:
        return "keep", "the guard is disabled"
    if policy.dpa:
        return "keep", "the client has a data-processing agreement"
    if findings:
        return policy.action, ""
    if unscannable and policy.unscannable == "drop":
        return "drop", "files that could not be checked are not stored"
    return "clean", ""


def known_addresses(config) -> frozenset[str]:
    return config._index("_known_addresses", lambda: frozenset(
        set(config.own_addresses) | {a.email for a in config.agents} | {c for cl in config.clients for c in cl.contacts}))


def scan_for(config, client, msg, sender: str):
    """Scan a client's message under the client's policy: (report, names of unscannable parts). With
    `unscannable: personal` each unscannable part is a finding of its own."""
    from mailbot.privacy.extract import Limits
    policy = config.privacy_for(client)
    report = scan_message(msg, Context(language=client.language if client else None, sender=sender.lower(),
                                       sender_name=msg.sender_name or "", known=known_addresses(config)),
                          Limits(ocr=policy.ocr, max_seconds=policy.max_seconds))
    unscannable = [where for where, _ in report.unscannable]
    if policy.unscannable == "personal":
        report.findings += [Finding("unscannable", where, 0, 0, "") for where in unscannable]
    return report, unscannable


def verdict(raw: bytes, config, show_values: bool = False) -> dict:
    msg = parse(raw)
    sender = (msg.sender or "").lower()
    agent = config.agent_for(sender)
    client = None if agent else config.client_for(sender)
    report, unscannable = scan_for(config, client, msg, sender)
    findings = report.findings
    decision, why = decide(config.privacy_for(client), findings, unscannable)
    if agent is not None:
        decision, why = "keep", "an agent's mail is not scanned"
    return {
        "decision": decision, "why": why, "sender": sender, "client": client.id if client else None,
        "counts": report.counts(),
        "findings": [dict(kind=f.kind, where=f.where, **({"value": f.value} if show_values else {}))
                     for f in findings],
        "unscannable": [dict(where=w, reason=r) for w, r in report.unscannable]}
