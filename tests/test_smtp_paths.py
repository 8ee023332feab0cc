"""The listener's fast reading of MAIL FROM / RCPT TO paths gives aiosmtpd's own answer for every input."""
from hypothesis import given, settings, strategies as st

from aiosmtpd.smtp import SMTP

from mailbot.ingress.data import BulkData

PIECES = ["<", ">", "a", "Z", "9", ".", "@", "-", "+", "\"", " ", "\t", "(c)", "[1.2.3.4]", "ā", "SIZE=10",
          "BODY=8BITMIME", "x" * 70]


class _Handler:
    pass


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), st.sampled_from([0, 64]))
def test_paths_read_as_aiosmtpd_reads_them(arg, limit):
    ours, theirs = BulkData(_Handler()), SMTP(_Handler())
    ours.local_part_limit = theirs.local_part_limit = limit
    assert _outcome(ours, arg) == _outcome(theirs, arg)


def _outcome(server, arg):
    try:
        return server._getaddr(arg)
    except Exception as exc:  # aiosmtpd's parser fails on some inputs (e.g. a lone "<"); so must ours
        return type(exc)


def test_common_paths():
    ours = BulkData(_Handler())
    assert ours._getaddr("<anna.berzina@gramatvediba.lv> SIZE=31337") == (
        "anna.berzina@gramatvediba.lv", "SIZE=31337")
    assert ours._getaddr("<>") == ("<>", "")
