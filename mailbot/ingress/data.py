"""Reading a message's DATA in bulk.

aiosmtpd reads DATA a line at a time, one await and a few Python steps per line: for a 30 KB request that is
some 500 rounds, a fifth of the daemon's CPU. This reads up to each ".<CRLF>" with the stream's own search and
keeps aiosmtpd's rules: the end is a line holding only a dot; a leading dot is removed from every line
(RFC 5321 4.5.2); past the size limit the rest is still read to the end and then refused with 552.
Lines of any length are taken (up to the size limit): real mail breaks the 1,000-byte rule.
"""
from __future__ import annotations

import asyncio
import re

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import MISSING, SMTP, syntax

from mailbot.ingress.replies import (REPLY_DATA_OK, REPLY_DATA_SYNTAX, REPLY_NEED_RCPT, REPLY_START_DATA,
                                     REPLY_TOO_BIG)

DOT_LINE = b".\r\n"
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
# <local@domain> with a dot-atom local part and a plain domain: nearly every MAIL FROM and RCPT TO.
_PLAIN_PATH = re.compile(rf"<({_ATEXT}(?:\.{_ATEXT})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>")


async def read_data(reader: asyncio.StreamReader, limit: int | None) -> bytes | None:
    """The content up to the end-of-data line, unstuffed; None when it was larger than `limit`."""
    parts: list[bytes] = []
    size, over = 0, False
    prev = b"\r\n"  # the two bytes before what comes next: DATA starts at the beginning of a line
    while True:
        try:
            chunk = await reader.readuntil(DOT_LINE)
            found = True
        except asyncio.LimitOverrunError as exc:  # no ".<CRLF>" in the buffer yet: take what cannot hold one
            chunk = await reader.read(exc.consumed)
            found = False
        end = found and (prev + chunk)[-5:-3] == b"\r\n"
        if end:
            chunk = chunk[:-3]
        size += len(chunk)
        if limit and size > limit:
            over = True
            parts.clear()  # read on to the end, keeping nothing
        elif not over:
            parts.append(chunk)
        if end:
            break
        prev = (prev + chunk)[-2:]
    if over:
        return None
    content = b"".join(parts).replace(b"\r\n.", b"\r\n")
    return content[1:] if content.startswith(b".") else content


class BulkData(SMTP):
    """aiosmtpd's SMTP (and LMTP) with DATA read by read_data and plain addresses read by a regex; everything
    else is aiosmtpd's."""

    def _getaddr(self, arg: str):
        """aiosmtpd's answer, without its general RFC 5322 parser (and the class it defines on every call) for
        the plain `<local@domain>` paths nearly all clients send; anything else goes to aiosmtpd."""
        m = _PLAIN_PATH.match(arg)
        rest = arg[m.end():].lstrip(" \t") if m else ""
        if m is None or rest.startswith("(") or (
                self.local_part_limit and m.group(1).index("@") > self.local_part_limit):
            return super()._getaddr(arg)
        return m.group(1), rest

    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        if not self.envelope.rcpt_tos:
            await self.push(REPLY_NEED_RCPT)
            return
        if arg:
            await self.push(REPLY_DATA_SYNTAX)
            return
        await self.push(REPLY_START_DATA)
        receiving = getattr(self.event_handler, "receiving", None)  # a message in flight from here to its answer
        if receiving is not None:
            receiving(1)
        try:
            try:
                content = await read_data(self._reader, self.data_size_limit)
            except asyncio.CancelledError:  # the connection went away during DATA
                self._writer.close()
                raise
            if content is None:  # LMTP answers the end of data once per recipient (RFC 2033 4.2)
                for _ in (self.envelope.rcpt_tos if isinstance(self, LMTP) else (None,)):
                    await self.push(REPLY_TOO_BIG)
                self._set_post_data_state()
                return
            self.envelope.content = self.envelope.original_content = content
            try:
                status = await self._call_handler_hook("DATA")
            finally:  # the end of data ends the transaction whatever the answer (RFC 5321 4.1.1.4)
                self._set_post_data_state()
            await self.push(REPLY_DATA_OK if status is MISSING else status)
        finally:
            if receiving is not None:
                receiving(-1)
