"""scan: the personal-data guard's reading of a client's message (subject, text, every attachment).

It is the heaviest CPU work a message brings and needs nothing from the database, so it runs before the
transaction opens (see PREPARE) and the write lock is not held while it reads. The guard stage decides on the
result inside the transaction, and reads the message again itself if threading changed whose message it is.
"""
from __future__ import annotations

from mailbot.pipeline.context import Kind
from mailbot.privacy.verdict import scan_for


def wanted(ctx) -> bool:
    """Only a client's own message is scanned (not agents' mail, delivery reports or auto-replies), and only
    when the guard has something to decide for that client."""
    if ctx.agent is not None or ctx.msg is None or ctx.kind != Kind.MESSAGE:
        return False
    policy = ctx.config.privacy_for(ctx.client)
    return policy.enabled and not policy.dpa


def _key(ctx) -> tuple:
    return (ctx.client.id if ctx.client else None, ctx.sender or "")


def run(ctx) -> None:
    if wanted(ctx):
        ctx.scan = (_key(ctx), scan_for(ctx.config, ctx.client, ctx.msg, ctx.sender or ""))


def result(ctx):
    """(report, unscannable parts) for the message as the guard sees it now."""
    if ctx.scan is not None and ctx.scan[0] == _key(ctx):
        return ctx.scan[1]
    return scan_for(ctx.config, ctx.client, ctx.msg, ctx.sender or "")
