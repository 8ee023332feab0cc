"""dedupe: a redelivered message is a no-op (invariant 2), and one message is one request.

The key is the Message-ID (or, without one, the bytes): a relay adds its own Received header to a redelivery, but
the Message-ID stays. The recipient is not part of it: a message to two of our addresses, which the MTA hands over
once per address, makes one ticket. A message already parked is not taken again either, except as the replay of its
parked row.
"""
from mailbot.pipeline import runner
from mailbot.store.models import events, messages, outbox, parked, raw_messages, tickets
from tests.helpers import count, mail, rows, send, take

EFFECTS = (tickets, messages, raw_messages, events, outbox, parked)


def _effects(engine) -> dict:
    return {table.name: count(engine, table) for table in EFFECTS}


def test_redelivery_has_one_effect(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    raw = mail(message_id="<dup@acme.lv>")
    assert send(d.port, raw)[0] == 250
    assert send(d.port, b"Received: from relay2\r\n" + raw)[0] == 250  # another relay path, same Message-ID
    no_id = mail().replace(b"Message-ID:", b"X-Old-Id:")
    send(d.port, no_id)
    send(d.port, no_id)
    assert count(engine, tickets) == 2
    assert count(engine, outbox) == 2
    d.stop()


def test_one_message_for_two_mailboxes_is_one_request(engine, config, daemon_factory):
    """The MTA delivers a message to help@ and iebildumi@ once per address; it is one request: one ticket, one
    receipt, and each delivery answered 250."""
    d = daemon_factory(config, engine)
    code, _ = send(d.port, mail(subject="Nepiekrītu rēķinam"), rcpt=["help@support.test", "iebildumi@support.test"])
    assert code == 250
    assert [t["mailbox"] for t in rows(engine, tickets)] == ["help@support.test"]
    assert count(engine, outbox, outbox.c.kind == "receipt") == 1
    d.stop()


def test_the_key_is_the_message_id_whatever_the_path_or_the_address(config, engine):
    raw = mail(message_id="<k1@acme.lv>")
    first = take(config, engine, raw)
    assert first.status == "stored"
    before = _effects(engine)
    # Through another relay (its Received header added), to the mailbox written in capitals: the same message.
    again = take(config, engine, b"Received: from relay2.acme.lv\r\n" + raw, rcpt="HELP@Support.Test")
    assert (again.status, again.reason, again.ticket_id) == ("duplicate", "already stored", None)
    assert _effects(engine) == before  # no effect at all: no row, no event, no mail
    # The same Message-ID with other bytes is still that message.
    assert take(config, engine, mail(message_id="<k1@acme.lv>", body="Cits teksts.")).status == "duplicate"
    # Its copy for our other mailbox, or for a plus-address of the same one, is the same request.
    for rcpt in ("iebildumi@support.test", "help+x@support.test"):
        assert take(config, engine, raw, rcpt=rcpt).status == "duplicate", rcpt
    assert _effects(engine) == before
    assert [t["mailbox"] for t in rows(engine, tickets)] == ["help@support.test"]


def test_without_a_message_id_the_bytes_are_the_key(config, engine):
    raw = mail(message_id=False)
    assert take(config, engine, raw).status == "stored"
    assert take(config, engine, raw).status == "duplicate"
    # With nothing else to go by, other bytes (here a relay's Received header) are another message.
    assert take(config, engine, b"Received: from relay2.acme.lv\r\n" + raw).status == "stored"
    assert count(engine, tickets) == 2


def test_a_parked_message_is_not_taken_again_but_its_replay_is(config, engine, monkeypatch):
    def boom(ctx):
        raise RuntimeError("stage exploded")
    monkeypatch.setattr(runner, "_STAGES", (*runner._STAGES, boom))
    raw = mail(message_id="<parked@acme.lv>")
    assert take(config, engine, raw).status == "parked"
    monkeypatch.undo()  # the bug is fixed; the client's MTA redelivers all the same
    again = take(config, engine, raw)
    assert (again.status, again.reason) == ("duplicate", "already parked")
    assert count(engine, parked) == 1 and count(engine, tickets) == 0
    [row] = rows(engine, parked)
    assert take(config, engine, row["raw"], retry_of=row["id"]).status == "stored"  # the operator's replay
    assert count(engine, tickets) == 1 and rows(engine, parked)[0]["status"] == "done"
