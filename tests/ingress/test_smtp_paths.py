"""The listener's fast reading of MAIL FROM / RCPT TO paths gives aiosmtpd's own answer for every input."""
import asyncio

import pytest
from hypothesis import given, settings, strategies as st

from aiosmtpd.smtp import SMTP

from mailbot.ingress.data import BulkData

PIECES = ["<", ">", "a", "Z", "9", ".", "@", "-", "+", "\"", " ", "\t", "(c)", "[1.2.3.4]", "ā", "SIZE=10",
          "BODY=8BITMIME", "x" * 70]


class _Handler:
    pass


@pytest.fixture(scope="module")
def loop():
    """One loop for every server built here: without one, aiosmtpd makes a new loop per instance and leaves it
    open, and thousands of them are collected later, in some other test (ResourceWarning)."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), st.sampled_from([0, 64]))
def test_paths_read_as_aiosmtpd_reads_them(loop, arg, limit):
    ours, theirs = BulkData(_Handler(), loop=loop), SMTP(_Handler(), loop=loop)
    ours.local_part_limit = theirs.local_part_limit = limit
    assert _outcome(ours, arg) == _outcome(theirs, arg)


def _outcome(server, arg):
    try:
        return server._getaddr(arg)
    except Exception as exc:  # aiosmtpd's parser fails on some inputs (e.g. a lone "<"); so must ours
        return type(exc)


def test_common_paths(loop):
    ours = BulkData(_Handler(), loop=loop)
    assert ours._getaddr("<anna.berzina@gramatvediba.lv> SIZE=31337") == (
        "anna.berzina@gramatvediba.lv", "SIZE=31337")
    assert ours._getaddr("<>") == ("<>", "")
