"""Sleeping that a stop (or another) event cuts short: every background task waits this way."""
import asyncio


async def nap(stop: asyncio.Event, seconds: float, *also: asyncio.Event) -> None:
    waiters = [asyncio.ensure_future(e.wait()) for e in (stop, *also)]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waiters:
            w.cancel()
