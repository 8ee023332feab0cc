"""screen: bounces, auto-replies, lists and our own mail (RFC 3834, invariant 4).

Bounces and auto-replies never open tickets; bulk, list and auto-generated mail may, but never gets an
automatic answer. Header names are matched case-insensitively by the parser; values are folded here.

A client who writes about "vacation pay", forwards a bounce or attaches a returned message is still a
client: the signs we act on are the ones only software leaves (report MIME types, daemon senders, the null
return path, Auto-Submitted and its cousins), and what a text says counts only in mail already known to
come from software. An attached message (message/rfc822) is never looked into.
"""
import re

from flufl.bounce import all_failures

from mailbot.base.regex import compile_fast
from mailbot.mime.headers import raw_header
from mailbot.pipeline.context import Discard, Kind
from mailbot.tickets.vocabulary import Disposition

_DAEMON = re.compile(r"^(mailer-daemon|postmaster|post_master|mail-daemon|mailerdaemon|mail\.delivery\.(sub)?system|"
                     r"mdaemon|bounce[s]?|no-?reply-bounce)(@|$)", re.I)
# A From without an address but with a daemon's name: "MAILER-DAEMON <>", "Mail Delivery System <>".
_DAEMON_NAME = re.compile(r"^\s*(mailer[ -]?daemon|mail delivery (sub)?system|mail deliver system|postmaster)\s*$",
                          re.I)
# Senders that are software by their own name: with a returned message attached, their text may be read
# for a delivery failure.
_ROBOT = re.compile(r"^(no-?reply|do-?not-?reply|donotreply)([+.-][^@]*)?@", re.I)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(undeliver|undelivered mail|delivery status notification|delivery notification|mail delivery failed|"
    r"returned mail|failure notice|delivery failure|mail system error|non.?delivery|nondeliverable|"
    r"delivery has failed|message not delivered|could not send|delayed mail|mail could not be delivered|"
    r"delivery report|warning: message .* delayed|message delivery failure|mail delivery failure)", re.I)
# What delivery reports say; read only in mail that software sent (null path, daemon, Auto-Submitted ...).
_BOUNCE_TEXT = compile_fast(
    r"could ?n[o']t be delivered|can ?not be delivered|could not deliver|was not delivered|undeliverable|unable to deliver|"
    r"delivery (to the following recipients? )?(has )?failed|failed permanently|permanent (fatal )?error|"
    r"not a valid (user|recipient|mailbox|address)|user unknown|unknown user|no such (user|mailbox|recipient)|"
    r"mailbox (is )?(full|unavailable|not found)|over quota|quota exceeded|recipient address rejected|"
    r"returned to sender|message delivery failed|delivery status notification", re.I)
# Only the phrases mail clients put before a colon (or in brackets): a client may well write about "vacation pay".
_AUTO_WORDS = (r"auto(matic)?[ -]?(reply|response|antwort)|autorespons[e]?|out of (the )?office( auto-?reply)?|"
               r"abwesenheitsnotiz|auto|automātiskā atbilde|automatinis atsakymas|răspuns automat|raspuns automat|"
               r"automatická odpoveď|автоответ|автоматический ответ|nieobecność|automatyczna odpowiedź")
_AUTO_SUBJECT = re.compile(rf"^\s*(({_AUTO_WORDS})\s*:|\[\s*({_AUTO_WORDS})\s*\])", re.I)
_AUTO_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoreply-From", "X-Mail-Autoreply")
# Challenge-response systems answer mail with "prove you are human": software, not a client.
_CHALLENGE_HEADERS = ("X-Bluebottle-Request",)
_LIST_HEADERS = ("List-Id", "List-Unsubscribe", "List-Post", "List-Help", "List-Subscribe", "List-Owner",
                 "List-Archive")
# Amazon SES notifications delivered by SNS as mail: a JSON document.
_SES_JSON = re.compile(r'\\?"notificationType\\?"\s*:\s*\\?"(Bounce|Complaint|Delivery)\\?"')
# Hotmail's junk-mail reporting programme sends complaints without ARF: the reported message attached.
_JMRP_SUBJECT = re.compile(r"^\s*complaint about message from ", re.I)
# Error notices of mailing-list managers (fml: "You ... are not member", "Loop Alert").
_LIST_MANAGER = re.compile(r"^(owner-[^@]*|[^@]*-(admin|owner|request))@", re.I)
_REPORTS = {"message/delivery-status": "delivery-status", "message/global-delivery-status": "delivery-status",
            "message/feedback-report": "feedback-report",
            "message/disposition-notification": "disposition-notification",
            "message/global-disposition-notification": "disposition-notification"}


# Subjects of the bounces and delay warnings older MTAs, Exchange/GroupWise and antivirus gateways and list
# servers send without a DSN, and with a real return path. Such a subject alone proves nothing (a client may write
# "delivery failure" about their own problem): GNU Mailman's detectors must also recognise the report.
_MAYBE_BOUNCE = re.compile(
    r"undeliver|non.?deliver|not delivered|could not be delivered|delivery (status|failure|failed|warning|problem|"
    r"notification|report|error)|returned mail|returned to sender|mail (delivery|error|system error)|failure notice|"
    r"delayed|warning:|unzustellbar|nicht zugestellt|rejected|delivery has failed", re.I)


def _bounce_dialect(m) -> bool:
    """Whether one of GNU Mailman's bounce detectors (flufl.bounce: Exchange, GroupWise, qmail, Exim, Postfix,
    Yahoo, AOL, simple matches and warnings ...) finds failed recipients in the message."""
    try:
        temporary, permanent = all_failures(m)
    except Exception:  # noqa: BLE001 - a detector's fault on odd mail means only "not recognised"
        return False
    return bool(temporary or permanent)


def _software(sender: str, precedence: str, auto_submitted: str, m) -> bool:
    """Signs that no person sent it: no sender address ("Jetmail System" <>), bulk or list precedence, list
    headers (a list resending a gateway's notice), Auto-Submitted."""
    return ("@" not in sender or precedence in ("bulk", "junk", "list") or auto_submitted.startswith("auto-")
            or any(m.get(h) is not None for h in _LIST_HEADERS))


def _value(msg, name: str) -> str:
    return (raw_header(msg, name) or "").strip().lower()


def _report_kind(msg) -> str | None:
    """What kind of report (RFC 6522) the message is: the report-type, or the report part it carries; a
    multipart/report that names neither is a delivery report. Attached messages are not looked into."""
    stack, seen, untyped = [msg], 0, False
    while stack and seen < 200:
        part = stack.pop()
        seen += 1
        ctype = part.get_content_type()
        if ctype in _REPORTS:
            return _REPORTS[ctype]
        if ctype == "multipart/report":
            kind = str(part.get_param("report-type") or "").strip().lower()
            if kind in ("delivery-status", "feedback-report", "disposition-notification"):
                return kind
            untyped = True
        if part.is_multipart() and not ctype.startswith("message/"):
            stack.extend(part.get_payload())
    return "delivery-status" if untyped else None


def is_null_path(mail_from: str | None) -> bool:
    """The null return path of a bounce (RFC 5321 §4.5.5). Postfix's pipe(8) passes it as "MAILER-DAEMON" unless
    its master.cf entry says `null_sender=`: such a sender is treated as null too, so a bounce that came through
    a pipe without that setting still gets no receipt."""
    if mail_from is None:
        return False
    sender = mail_from.strip().lower()
    return sender in ("", "<>", "mailer-daemon") or sender.startswith("mailer-daemon@")


def run(ctx) -> None:
    msg, m = ctx.msg, ctx.msg.msg
    sender = ctx.msg.sender or (ctx.envelope.mail_from or "")
    ctx.sender = sender
    if sender and sender in ctx.config.own_addresses:
        raise Discard(Disposition.LOOP, "sent from one of our own addresses")
    null_path = is_null_path(ctx.envelope.mail_from)
    auto_submitted = _value(m, "Auto-Submitted")
    precedence = _value(m, "Precedence")
    report = _report_kind(m)
    daemon = bool(_DAEMON.match(sender)) or ("@" not in sender and bool(_DAEMON_NAME.match(msg.sender_name or "")))
    head = (msg.text or "")[:8000]
    returned = any(a.content_type in ("message/rfc822", "text/rfc822-headers") for a in msg.attachments)
    text_says = bool((null_path or daemon or (returned and _ROBOT.match(sender))) and _BOUNCE_TEXT.search(head))
    ses = _SES_JSON.search(head[:4000]) if head.lstrip().startswith("{") else None
    if ses and ses.group(1) == "Complaint":
        raise Discard(Disposition.FEEDBACK_REPORT, "Amazon SES complaint notification")
    if sender == "staff@hotmail.com" and _JMRP_SUBJECT.match(msg.subject):
        raise Discard(Disposition.FEEDBACK_REPORT, "Hotmail/Outlook.com complaint (JMRP)")
    if (report == "delivery-status" or daemon or ses
            or ((null_path or auto_submitted.startswith("auto-")) and _BOUNCE_SUBJECT.match(msg.subject))
            or text_says
            or (m.get("X-MLServer") is not None and _LIST_MANAGER.match(sender))
            or (_MAYBE_BOUNCE.search(msg.subject or "")
                and (_bounce_dialect(m) or (_software(sender, precedence, auto_submitted, m)
                                            and _BOUNCE_TEXT.search(head))))):
        ctx.kind, ctx.no_auto = Kind.BOUNCE, "delivery report"
        return
    if report == "feedback-report":
        raise Discard(Disposition.FEEDBACK_REPORT, "abuse/feedback report (ARF)")
    if report == "disposition-notification":
        ctx.kind, ctx.no_auto = Kind.AUTO_REPLY, "read receipt (MDN)"
        return
    if auto_submitted != "no" and (
            auto_submitted.startswith("auto-replied") or any(m.get(h) is not None for h in _AUTO_HEADERS)
            or _value(m, "X-Autogenerated") == "reply" or precedence == "auto_reply"
            or "vacation" in _value(m, "X-Mailer") or _AUTO_SUBJECT.match(msg.subject)
            or (null_path and precedence in ("bulk", "junk"))):
        ctx.kind, ctx.no_auto = Kind.AUTO_REPLY, "auto-reply"
        return
    if any(m.get(h) is not None for h in _CHALLENGE_HEADERS):
        ctx.kind, ctx.no_auto = Kind.AUTO_REPLY, "challenge-response"
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
