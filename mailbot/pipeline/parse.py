"""parse: the raw bytes become the parsed message every later stage reads (see mailbot.mime.message)."""
from mailbot.mime.message import parse


def run(ctx) -> None:
    ctx.msg = parse(ctx.raw)
