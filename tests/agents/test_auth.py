"""Proof that a command mail comes from the agent it names: signed reply addresses and the receiving server's
Authentication-Results (pure functions; the round trips over SMTP are in test_agents)."""
import pytest
from hypothesis import given, settings, strategies as st

from mailbot.agents.auth import authenticate, authres_pass, find_token, reply_address, token_valid

SECRET = b"s" * 32
TRUSTED = ("mx.vendor.lv",)


@settings(max_examples=100, deadline=None)
@given(ticket=st.integers(1, 10**12 - 1), agent=st.from_regex(r"[a-z][a-z0-9.]{0,20}@vendor\.lv", fullmatch=True))
def test_a_signed_address_proves_its_ticket_and_agent_only(ticket, agent):
    address = reply_address("help@vendor.lv", ticket, agent, SECRET)
    token = find_token(["other@vendor.lv", address.upper()], "help@vendor.lv")
    assert token.ticket_id == ticket and token_valid(token, agent, SECRET)
    assert not token_valid(token, "someone." + agent, SECRET)
    assert not token_valid(token, agent, b"t" * 32)
    other = ticket + 1 if ticket < 10**12 - 1 else ticket - 1  # references have at most 12 digits
    forged = find_token([address.replace(f"+mb{ticket}.", f"+mb{other}.")], "help@vendor.lv")
    assert not token_valid(forged, agent, SECRET)
    assert find_token([address], "help@elsewhere.lv") is None  # another mailbox's address is not ours


@pytest.mark.parametrize("headers, passed", [
    (["mx.vendor.lv; dmarc=pass header.from=vendor.lv"], True),
    (["mx.vendor.lv; dkim=pass header.d=vendor.lv"], True),
    (["mx.vendor.lv; dkim=pass header.d=mail.vendor.lv"], True),            # a signing subdomain
    (["mx.vendor.lv; dkim=pass header.i=@vendor.lv"], True),
    (["mx.vendor.lv; dkim=pass header.d=esp.example; dkim=pass header.d=vendor.lv"], True),  # second signature
    (["mx.vendor.lv; dkim=pass header.d=esp.example"], False),              # not aligned
    (["mx.vendor.lv; dkim=pass header.d=notvendor.lv"], False),             # a suffix is not a subdomain
    (["mx.vendor.lv; dkim=fail header.d=vendor.lv; dmarc=fail"], False),
    (["mx.vendor.lv; dkim=pass header.d=mail.vendor.lv; dmarc=fail"], False),  # the domain's policy decides
    (["evil.example; dmarc=pass"], False),                                  # not our server
    (["mx.vendor.lv; dmarc=fail", "mx.vendor.lv; dmarc=pass"], False),      # only the topmost trusted one counts
    (["evil.example; dmarc=pass", "mx.vendor.lv; dmarc=pass"], True),
    ([], False),
])
def test_authentication_results(headers, passed):
    ok, why = authres_pass(headers, TRUSTED, "vendor.lv")
    assert ok is passed and why


@pytest.mark.parametrize("mode, token_ok, authres, ok", [
    ("token", True, False, True), ("token", None, True, False), ("token", False, True, False),
    ("authres", None, True, True), ("authres", True, False, False),
    ("token_or_authres", None, True, True), ("token_or_authres", True, False, True),
    ("token_or_authres", False, False, False),
    ("token_and_authres", True, True, True), ("token_and_authres", True, False, False),
    ("token_and_authres", None, True, False),
])
def test_modes_combine_the_proofs(mode, token_ok, authres, ok):
    assert authenticate(mode, token_ok=token_ok, authres=(authres, "ar"))[0] is ok
