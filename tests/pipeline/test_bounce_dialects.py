"""Bounces in every dialect: non-DSN reports from Exchange gateways and delay warnings, sent with a real return
path, open no ticket and get no receipt (GNU Mailman's detectors, flufl.bounce); a client who merely writes about a
delivery failure is still a client."""
from mailbot.pipeline.context import Verdict
from mailbot.store.models import outbox, tickets
from tests.helpers import count, mail, take

EXCHANGE = """Your message

  To:      janis@acme.lv
  Subject: [#1] Pieprasījums saņemts
  Sent:    Mon, 7 Dec 2026 10:00:00 +0200

did not reach the following recipient(s):

janis@acme.lv on Mon, 7 Dec 2026 10:00:05 +0200
    The e-mail account does not exist at the organization this message was sent to.
    <gw.acme.lv #5.0.0 X-Postfix; unknown user>
MSEXCH:IMS:ACME:ACME-GW:SERVER 0 (000C05A6) Unknown Recipient
"""

WARNING = """Your message with Subject: [#1] Pieprasījums saņemts

could not be delivered to the following recipient yet:

       janis@acme.lv

Delivery attempts will continue to be made for 4 days. This is a warning from the antivirus gateway only.
"""


def test_an_exchange_gateways_non_delivery_report_opens_no_ticket(config, engine):
    raw = mail(subject="Non-Delivery: [#1] Pieprasījums saņemts", body=EXCHANGE,
               sender="System Administrator <postmaster-gw@gw.acme.lv>")
    outcome = take(config, engine, raw, mail_from="bounces@gw.acme.lv")
    assert outcome.status != Verdict.STORED or count(engine, tickets) == 0
    assert count(engine, tickets) == 0 and count(engine, outbox) == 0


def test_a_delay_warning_opens_no_ticket(config, engine):
    raw = mail(subject="Mail Delivery Warning", body=WARNING, sender="Mail Gateway <gateway@av.acme.lv>")
    take(config, engine, raw, mail_from="gateway@av.acme.lv")
    assert count(engine, tickets) == 0 and count(engine, outbox) == 0


def test_a_client_writing_about_a_delivery_failure_is_a_client(config, engine):
    raw = mail(subject="Delivery failure of our invoices", body="Labdien, mūsu rēķini netiek nosūtīti klientiem.")
    assert take(config, engine, raw).status == Verdict.STORED
    assert count(engine, tickets) == 1


def test_a_gateways_notice_resent_by_a_list_opens_no_ticket(config, engine):
    """An antivirus gateway's "could not be delivered", forwarded by a list (Precedence: bulk), and a mail server's
    "Mail Error" from a sender without an address: software by their signs, a bounce by their words."""
    gateway = mail(subject="Mail could not be delivered", sender="inetgw@gw.example.test",
                   headers=[("Precedence", "bulk"), ("List-Id", "<users.lists.example.test>")],
                   body="****** Message from the e-mail virus wall ******\n\nThe following mail could not be "
                        "delivered.\nReason:  Exceeded Maximum Delivery Attempts.\n")
    take(config, engine, gateway, mail_from="list-owner@lists.example.test")
    jetmail = mail(subject="Mail Error", sender="Mail System <system@mx.example.test>",
                   headers=[("Precedence", "bulk")],
                   body="Your mail cannot be delivered to the following address(es):\n\n dylan (mailbox full)\n")
    take(config, engine, jetmail, mail_from="list-owner@lists.example.test")
    assert count(engine, tickets) == 0 and count(engine, outbox) == 0
