"""screen: bounces, auto-replies, lists and our own mail (RFC 3834, invariant 4).

Bounces and auto-replies never open tickets; bulk, list and auto-generated mail may, but never gets an
automatic answer. Header names are matched case-insensitively by the parser; values are folded here.
"""
import re

from mailbot.pipeline.context import Discard

_DAEMON = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon|mail\.delivery\.subsystem|"
                     r"mdaemon|bounce[s]?|no-?reply-bounce)(@|$)", re.I)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(undeliver|undelivered mail|delivery status notification|delivery notification|mail delivery failed|"
    r"returned mail|failure notice|delivery failure|mail system error|non.?delivery|nondeliverable|"
    r"delivery has failed|message not delivered|could not send|delayed mail|mail could not be delivered|"
    r"delivery report|warning: message .* delayed|message delivery failure|mail delivery failure)", re.I)
# Only the phrases mail clients put before a colon: a client may well write about "vacation pay".
_AUTO_SUBJECT = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office( auto-?reply)?|abwesenheitsnotiz|auto|"
    r"automātiskā atbilde|automatinis atsakymas|răspuns automat|raspuns automat|automatická odpoveď|"
    r"автоответ|автоматический ответ|nieobecność|automatyczna odpowiedź)\s*:", re.I)
_LIST_HEADERS = ("List-Id", "List-Unsubscribe", "List-Post", "List-Help", "List-Subscribe", "List-Owner",
                 "List-Archive")


def _value(msg, name: str) -> str:
    return str(msg.get(name, "")).strip().lower()


def _is_report(msg, kinds) -> bool:
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "multipart/report" and str(part.get_param("report-type") or "").lower() in kinds:
            return True
        if "delivery-status" in kinds and ctype in ("message/delivery-status", "message/global-delivery-status"):
            return True
    return False


def run(ctx) -> None:
    msg, m = ctx.msg, ctx.msg.msg
    sender = ctx.msg.sender or (ctx.envelope.mail_from or "")
    ctx.sender = sender
    if sender and sender in ctx.config.own_addresses:
        raise Discard("loop", "sent from one of our own addresses")
    null_path = ctx.envelope.mail_from == ""
    auto_submitted = _value(m, "Auto-Submitted")
    if _is_report(m, ("delivery-status",)) or _DAEMON.match(sender) or (
            (null_path or auto_submitted.startswith("auto-")) and _BOUNCE_SUBJECT.match(msg.subject)):
        ctx.kind, ctx.no_auto = "bounce", "delivery report"
        return
    if _is_report(m, ("feedback-report",)):
        raise Discard("feedback-report", "abuse/feedback report (ARF)")
    if _is_report(m, ("disposition-notification",)):
        ctx.kind, ctx.no_auto = "auto-reply", "read receipt (MDN)"
        return
    precedence = _value(m, "Precedence")
    if (auto_submitted.startswith("auto-replied") or m.get("X-Autoreply") or m.get("X-Autorespond")
            or precedence == "auto_reply" or "vacation" in _value(m, "X-Mailer")
            or _AUTO_SUBJECT.match(msg.subject)) and not auto_submitted == "no":
        ctx.kind, ctx.no_auto = "auto-reply", "auto-reply"
        return
    if auto_submitted and auto_submitted != "no":
        ctx.no_auto = f"Auto-Submitted: {auto_submitted.split(';')[0]}"
    elif precedence in ("bulk", "list", "junk"):
        ctx.no_auto = f"Precedence: {precedence}"
    elif any(m.get(h) is not None for h in _LIST_HEADERS):
        ctx.no_auto = "mailing-list message"
    elif null_path:
        ctx.no_auto = "null return path"
    elif not sender or "@" not in sender:
        ctx.no_auto = "no sender address"
