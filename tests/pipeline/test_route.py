"""route: which of our mailboxes a message came to, and who sent it (a client's contact, an agent, or a stranger).

A mailbox we do not have is refused, and so is a stranger where `unknown_senders.policy` is reject: the sender's
MTA hears it (550 at RCPT from the listeners, exit 65 from the pipe command: tests/ingress) and nothing is kept.
"""
import pytest

from mailbot.store.models import messages, parked, tickets
from tests.helpers import count, engine_for, mail, rows, take


def test_a_mailbox_we_do_not_have_is_refused_and_nothing_is_kept(config, engine):
    out = take(config, engine, mail(), rcpt="nobody@support.test")
    assert (out.status, out.reason) == ("rejected", "no mailbox is configured for nobody@support.test")
    assert count(engine, messages) == count(engine, tickets) == count(engine, parked) == 0


@pytest.mark.parametrize("rcpt", ["help+mb7.x@support.test", "Help@SUPPORT.test"])
def test_plus_addresses_and_capitals_belong_to_their_mailbox(config, engine, rcpt):
    out = take(config, engine, mail(), rcpt=rcpt)
    assert out.status == "stored"
    assert rows(engine, tickets, tickets.c.id == out.ticket_id)[0]["mailbox"] == "help@support.test"


@pytest.mark.parametrize("sender, client, language", [
    ("Jānis Bērziņš <janis@acme.lv>", "acme", "lv"),  # at a domain of the client
    ("buhaltere@gmail.com", "stekas", "lt"),  # a registered contact, at a public domain
    ("Иван <Ivan@KRIZHIK.ru>", "krizhik", "ru"),  # the address in any case; the client's language, not the text's
    ("stranger@nowhere.test", None, "lv"),  # nobody's: an unassigned ticket, in the language they wrote
])
def test_the_sender_decides_the_client_and_its_language(config, engine, sender, client, language):
    address = sender.rpartition("<")[2].rstrip(">")
    assert take(config, engine, mail(sender=sender), mail_from=address).status == "stored"
    [ticket] = rows(engine, tickets)
    assert (ticket["client_id"], ticket["language"], ticket["contact"]) == (client, language, address.lower())


def test_a_registered_contact_wins_over_the_domain(make_config):
    config, _ = make_config(clients=[
        {"id": "acme", "name": "SIA Acme", "language": "lv", "domains": ["acme.lv"], "plan": "basic"},
        {"id": "stekas", "name": "UAB Stekas klientas", "language": "lt", "contacts": ["gramatvede@acme.lv"],
         "plan": "basic"}])
    engine = engine_for(config)
    take(config, engine, mail(sender="gramatvede@acme.lv"), mail_from="gramatvede@acme.lv")
    take(config, engine, mail(sender="janis@acme.lv"))
    assert [t["client_id"] for t in rows(engine, tickets)] == ["stekas", "acme"]


def test_strangers_are_refused_where_the_policy_says_so(make_config):
    config, _ = make_config(unknown_senders={"policy": "reject"})
    engine = engine_for(config)
    out = take(config, engine, mail(sender="stranger@nowhere.test"), mail_from="stranger@nowhere.test")
    assert (out.status, out.reason) == ("rejected", "sender is not a registered contact of any client")
    assert count(engine, messages) == count(engine, tickets) == 0
    # A client's contact is no stranger ...
    assert take(config, engine, mail()).status == "stored"
    # ... nor is an agent: an agent's mail goes on to the command stage (unsigned, it is refused there as forged) ...
    agent = take(config, engine, mail(sender="Ilze <ilze@support.test>", subject="Sveiki"),
                 mail_from="ilze@support.test")
    assert (agent.status, agent.reason) == ("stored", "forged-command")
    # ... and a delivery report is software's, screened rather than refused.
    report = take(config, engine, mail(sender="Mail Delivery System <MAILER-DAEMON@mx.nowhere.test>",
                                       subject="Undelivered Mail Returned to Sender"), mail_from="")
    assert (report.status, report.reason) == ("discarded", "bounce: delivery report not about mail we sent")
