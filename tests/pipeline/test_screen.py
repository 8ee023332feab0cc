"""screen through accept() and the database: bounces, auto-replies, lists, loops (RFC 3834, invariant 4).

Outbound is enabled, but nothing sends in-process: a receipt is an outbox row that stays pending. Every test
looks at what was recorded (messages.disposition / reason) and whether a receipt was queued.
"""
from __future__ import annotations

from functools import partial

import pytest
from sqlalchemy import func, select

from mailbot.config import Config
from mailbot.pipeline.context import Envelope
from mailbot.pipeline.runner import accept
from mailbot.store import db
from mailbot.store.models import events, messages, outbox, tickets
from tests import helpers

HELP = "help@example.com"


@pytest.fixture
def inbox(tmp_path):
    """accept() in this process on a desk of its own (help@example.com, no daemon): outbound is enabled, so receipts
    are queued, and nothing sends them."""
    config = Config.model_validate({
        "mailboxes": [{"name": "help", "address": HELP}],
        "database": {"url": f"sqlite:///{tmp_path}/screen.db", "sqlite_synchronous": "NORMAL"},
        "outbound": {"enabled": True, "maildir": str(tmp_path / "outbox")}})
    engine = db.make_engine(config.database)
    db.ensure_schema(engine)
    yield Inbox(config, engine)
    engine.dispose()


class Inbox:
    def __init__(self, config, engine):
        self.config, self.engine = config, engine

    def deliver(self, raw: bytes, mail_from: str | None = "client@customer.example"):
        return accept(raw, Envelope(HELP, "smtp", mail_from), self.config, self.engine)

    def row(self, outcome):
        with self.engine.connect() as conn:
            return conn.execute(select(messages).where(messages.c.id == outcome.message_row)).mappings().one()

    def receipts(self, ticket_id=None) -> list:
        q = select(outbox)
        if ticket_id is not None:
            q = q.where(outbox.c.ticket_id == ticket_id)
        with self.engine.connect() as conn:
            return list(conn.execute(q).mappings())

    def count(self, table) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(table)).scalar()

    def events(self, ticket_id) -> list[tuple[str, str]]:
        with self.engine.connect() as conn:
            return [(r.kind, r.detail) for r in conn.execute(
                select(events.c.kind, events.c.detail).where(events.c.ticket_id == ticket_id))]


# A client's plain message, written as given (`headers`: a block of "Name: value" lines, any case).
mail = partial(helpers.mail, verbatim=True, to=HELP, subject="Licence server does not start",
               sender="Client <client@customer.example>", date="Mon, 3 Mar 2025 10:00:00 +0200",
               body="Hello,\nthe licence server stops after the update.\nRegards")


def assert_ticket_with_receipt(inbox, outcome, rcpt="client@customer.example"):
    assert outcome.status == "stored", outcome
    assert outcome.reason == "ticket"
    assert inbox.row(outcome)["disposition"] == "ticket"
    rows = inbox.receipts(outcome.ticket_id)
    assert [(r["kind"], r["rcpt"], r["status"]) for r in rows] == [("receipt", rcpt, "pending")]


def assert_ticket_without_receipt(inbox, outcome, why: str):
    assert outcome.status == "stored", outcome
    assert inbox.row(outcome)["disposition"] == "ticket"
    assert inbox.receipts() == []
    assert ("receipt-suppressed", why) in inbox.events(outcome.ticket_id)


def assert_classified(inbox, outcome, kind: str):
    assert outcome.status == "discarded", outcome
    assert outcome.reason.startswith(f"{kind}:"), outcome.reason
    row = inbox.row(outcome)
    assert row["disposition"] == kind and row["ticket_id"] is None
    assert inbox.count(tickets) == 0 and inbox.receipts() == []


# --- client mail stays client mail ---------------------------------------------------------------------

@pytest.mark.parametrize("subject", [
    "Vacation pay calculation",
    "vacation: pay calculation for March",
    "Out of office hours support?",
    "Automatic reply settings do not work in our mail server",
    "Autoresponder configuration question",
    "Auto-renewal of the licence",
    "Undelivered invoices",
    "Returned mail: how do we stop it?",
    "Delivery report for February is wrong",
    "Atvaļinājuma naudas aprēķins",  # lv: holiday pay calculation
    "Расчёт отпускных",  # ru: holiday pay calculation
])
def test_client_mail_about_vacations_or_bounces_is_a_ticket(inbox, subject):
    assert_ticket_with_receipt(inbox, inbox.deliver(mail(subject=subject)))


def test_auto_submitted_no_is_a_normal_message(inbox):
    outcome = inbox.deliver(mail(headers="Auto-Submitted: no\n"))
    assert_ticket_with_receipt(inbox, outcome)


def test_auto_submitted_no_wins_over_an_auto_reply_subject(inbox):
    outcome = inbox.deliver(mail(subject="Auto: licence", headers="Auto-Submitted: No\n"))
    assert_ticket_with_receipt(inbox, outcome)


def test_receipt_goes_to_reply_to(inbox):
    outcome = inbox.deliver(mail(headers="Reply-To: Desk of Client <office@customer.example>\n"))
    assert_ticket_with_receipt(inbox, outcome, rcpt="office@customer.example")


def test_forwarded_bounce_as_attachment_is_client_mail(inbox):
    """A client attaches the bounce they got: the report is inside message/rfc822 and not looked into."""
    bounce = dsn(original_id="<x1@customer.example>")
    raw = mail(subject="Fwd: our mail to you bounced", message_id="<fwd1@customer.example>", date=None,
               content_type='multipart/mixed; boundary="fw"',
               body=b"--fw\r\nContent-Type: text/plain\r\n\r\nOur mail to you came back, see attached. Is your server "
                    b"down?\r\n\r\n--fw\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n"
                    + bounce + b"\r\n--fw--\r\n")
    outcome = inbox.deliver(raw)
    assert_ticket_with_receipt(inbox, outcome)


# --- loop and backscatter rules, header names in any case -------------------------------------------------

@pytest.mark.parametrize("header, why", [
    ("PRECEDENCE: Bulk", "Precedence: bulk"),
    ("precedence: JUNK", "Precedence: junk"),
    ("Precedence: list", "Precedence: list"),
    ("AUTO-SUBMITTED: Auto-Generated", "Auto-Submitted: auto-generated"),
    ("auto-submitted: auto-notified; owner-email=\"x@customer.example\"", "Auto-Submitted: auto-notified"),
    ("List-Id: Customers <customers.lists.customer.example>", "mailing-list message"),
    ("list-ID: <customers.lists.customer.example>", "mailing-list message"),
    ("LIST-UNSUBSCRIBE: <mailto:leave@lists.customer.example>", "mailing-list message"),
])
def test_bulk_list_and_generated_mail_opens_a_ticket_but_gets_no_receipt(inbox, header, why):
    assert_ticket_without_receipt(inbox, inbox.deliver(mail(headers=header + "\n")), why)


@pytest.mark.parametrize("headers, subject", [
    ("auto-submitted: Auto-Replied", "Re: Licence server does not start"),
    ("Auto-Submitted: auto-replied (vacation)", "Thanks for your mail"),
    ("x-AUTOREPLY: yes", "Re: your message"),
    ("X-Autorespond: Thank you", "Your message"),
    ("x-autogenerated: Reply", "We got your message"),
    ("PRECEDENCE: auto_reply", "Received"),
    ("X-Mailer: Vacation 1.2", "Away"),
    ("", "Out of Office: Licence server does not start"),
    ("", "Automatic reply: Licence server does not start"),
    ("", "AutoReply: Licence server"),
    ("", "Auto: Licence server"),
    ("", "Automātiskā atbilde: Licence"),  # lv
    ("", "Automatinis atsakymas: Licence"),  # lt
    ("", "Răspuns automat: Licence"),  # ro
    ("", "Automatická odpoveď: Licence"),  # sk
    ("", "Автоответ: Licence"),  # ru
    ("", "[Automatyczna odpowiedź] Licence"),  # pl, bracketed (BounceParser polish-autoreply.msg)
])
def test_auto_replies_never_open_tickets(inbox, headers, subject):
    assert_classified(inbox, inbox.deliver(mail(subject=subject, headers=headers)), "auto-reply")


def test_auto_reply_with_null_path_and_precedence_bulk(inbox):
    """BounceParser autoreply.msg: 'Thank you for your e-mail', Return-Path <>, Precedence: bulk."""
    outcome = inbox.deliver(mail(subject="Thank you for your e-mail", headers="Precedence: bulk\n"), mail_from="")
    assert_classified(inbox, outcome, "auto-reply")


def test_null_return_path_gets_no_receipt(inbox):
    outcome = inbox.deliver(mail(), mail_from="")
    assert_ticket_without_receipt(inbox, outcome, "null return path")


def test_mail_from_our_own_address_is_a_loop(inbox):
    assert_classified(inbox, inbox.deliver(mail(sender=f"Help <{HELP.upper()}>"), mail_from=HELP), "loop")


# --- bounces ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sender, subject", [
    ("MAILER-DAEMON@mx.customer.example", "Undelivered Mail Returned to Sender"),
    ("Mail Delivery Subsystem <MAILER-DAEMON@mx.customer.example>", "Returned mail: see transcript"),
    ("Mail Delivery Subsystem <MAILER-DAEMON>", "Returned mail: see transcript for details"),  # no domain
    ("MAILER-DAEMON <>", "Mail delivery failed"),  # DragonFly Mail Agent
    ("mailer-daemon (Mail Delivery System)", "Warning"),
    ("Postmaster <postmaster@customer.example>", "Notice"),
    ("Mail Delivery System <Mail.Delivery.System@mx.customer.example>", "Delivery status notification"),
    ("post_master@vtext.example", "Re:Test message"),
])
def test_mailer_daemon_senders_are_bounces(inbox, sender, subject):
    outcome = inbox.deliver(mail(sender=sender, subject=subject, body="This is the mail system."),
                           mail_from="")
    assert_classified(inbox, outcome, "bounce")


@pytest.mark.parametrize("subject, body", [
    ("Undelivered Mail Returned to Sender", "Sorry."),
    ("failure notice", "Hi. This is the qmail-send program."),
    ("Mail", "Your mail sent on: Thu, 29 Apr 2013\n  Could not be delivered to: <x@y.example>\n"
             "  As their mailbox is full."),
    ("", "You sent mail to a@b.c. That's not a valid user here."),
])
def test_null_return_path_with_a_delivery_failure_is_a_bounce(inbox, subject, body):
    outcome = inbox.deliver(mail(sender="Some System <system@mx.customer.example>", subject=subject, body=body),
                           mail_from="")
    assert_classified(inbox, outcome, "bounce")


def test_auto_submitted_with_a_bounce_subject_is_a_bounce(inbox):
    outcome = inbox.deliver(mail(sender="mx@customer.example", subject="Delivery Status Notification (Failure)",
                                headers="Auto-Submitted: auto-replied\n"))
    assert_classified(inbox, outcome, "bounce")


def test_a_person_saying_could_not_be_delivered_is_not_a_bounce(inbox):
    outcome = inbox.deliver(mail(subject="Problem", body="Our invoice could not be delivered to your portal."))
    assert_ticket_with_receipt(inbox, outcome)


def dsn(original_id="<orig1@example.com>", report_type="delivery-status", action="failed",
        sender="Mail Delivery System <MAILER-DAEMON@mx.customer.example>") -> bytes:
    """A delivery report (multipart/report) about the message `original_id`."""
    rt = f"; report-type={report_type}" if report_type else ""
    return mail(sender=sender, subject="Undelivered Mail Returned to Sender", date=None,
                content_type=f'multipart/report{rt}; boundary="b1"',
                body=f"--b1\nContent-Type: text/plain\n\nI'm sorry to have to inform you that your message could not\n"
                     f"be delivered to one or more recipients.\n\n"
                     f"--b1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.customer.example\n\n"
                     f"Final-Recipient: rfc822; client@customer.example\nAction: {action}\nStatus: 5.1.1\n\n"
                     f"--b1\nContent-Type: text/rfc822-headers\n\nFrom: {HELP}\nTo: client@customer.example\n"
                     f"Subject: Your request\nMessage-ID: {original_id}\n\n--b1--")


@pytest.mark.parametrize("report_type", ["delivery-status", "Delivery-Status", None])
def test_dsn_multipart_report_is_a_bounce(inbox, report_type):
    """From an ordinary-looking address too: the report MIME type decides (also without report-type)."""
    outcome = inbox.deliver(dsn(report_type=report_type, sender="Mail Server <server@mx.customer.example>"),
                           mail_from="")
    assert_classified(inbox, outcome, "bounce")
    assert inbox.row(outcome)["reason"] == "delivery report not about mail we sent"


def test_dsn_about_our_receipt_lands_on_the_ticket(inbox):
    first = inbox.deliver(mail())
    receipt = inbox.receipts(first.ticket_id)[0]
    outcome = inbox.deliver(dsn(original_id=f"<{receipt['message_id']}>"), mail_from="")
    assert (outcome.status, outcome.reason, outcome.ticket_id) == ("stored", "dsn", first.ticket_id)
    assert inbox.row(outcome)["disposition"] == "dsn"
    assert inbox.count(tickets) == 1
    assert [r["status"] for r in inbox.receipts()] == ["bounced"]  # and no new mail for the report
    assert ("delivery-report", f"outbox #{receipt['id']}: failed") in inbox.events(first.ticket_id)


def test_auto_reply_to_our_receipt_lands_on_the_ticket_without_mail(inbox):
    first = inbox.deliver(mail())
    receipt = inbox.receipts(first.ticket_id)[0]
    outcome = inbox.deliver(mail(subject="Automatic reply: Your request", headers=(
        f"In-Reply-To: <{receipt['message_id']}>\nAuto-Submitted: auto-replied\n")))
    assert (outcome.status, outcome.reason, outcome.ticket_id) == ("stored", "auto-reply", first.ticket_id)
    assert len(inbox.receipts()) == 1


def test_feedback_report_is_discarded(inbox):
    raw = mail(sender="abuse@isp.example", subject="FW: complaint", message_id="<arf1@isp.example>", date=None,
               content_type='multipart/report; report-type=feedback-report; boundary="a"',
               body="--a\nContent-Type: text/plain\n\nThis is an abuse report.\n\n--a\n"
                    "Content-Type: message/feedback-report\n\nFeedback-Type: abuse\nVersion: 1\n\n--a--")
    assert_classified(inbox, inbox.deliver(raw, mail_from=""), "feedback-report")


def test_read_receipt_is_an_auto_reply(inbox):
    raw = mail(subject="Read: Your request", message_id="<mdn1@customer.example>", date=None,
               content_type='multipart/report; report-type=disposition-notification; boundary="r"',
               body="--r\nContent-Type: text/plain\n\nYour message was read.\n\n--r\n"
                    "Content-Type: message/disposition-notification\n\n"
                    "Final-Recipient: rfc822; client@customer.example\n"
                    "Disposition: manual-action/MDN-sent-manually; displayed\n\n--r--")
    assert_classified(inbox, inbox.deliver(raw, mail_from=""), "auto-reply")


def test_amazon_ses_notifications(inbox):
    body = '{"notificationType":"Bounce","bounce":{"bounceType":"Permanent"}}'
    outcome = inbox.deliver(mail(sender="no-reply@sns.amazonaws.com", subject="AWS Notification Message", body=body),
                           mail_from="bounce@us-west-2.amazonses.com")
    assert_classified(inbox, outcome, "bounce")
