"""ZIP archives: every member read as what it is, through the same dispatch as the attachment itself.

An archive is checked as a whole before anything is unpacked (`mailbot.privacy.limits.open_zip`: entry count,
declared sizes, compression ratio), each member is read with a bounded read against the unpacked-bytes
budget, and nesting (zip in zip) is limited, so that a zip bomb or a deep matryoshka costs bounded work.
Members are named in findings by their path in the archive ("payroll.zip/2026/jan.xlsx").
"""
from __future__ import annotations

import zipfile

from mailbot.privacy.limits import Ctx, Stop, error_name, open_zip, read_member


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # not flagged UTF-8, but many tools write UTF-8 anyway
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    name = "".join(ch for ch in name.replace("\\", "/") if ch.isprintable())
    return "/".join(p for p in name.split("/") if p not in ("", ".", "..")) or "(unnamed)"


def read_zip(ctx: Ctx, where: str, data: bytes, depth: int) -> None:
    if depth >= ctx.limits.max_depth:
        ctx.refuse(where, f"nested deeper than {ctx.limits.max_depth} levels")
        return
    zf = open_zip(ctx, where, data, "ZIP archive")
    if zf is None:
        return
    with zf:
        for info in zf.infolist():
            ctx.check(where)
            if info.is_dir():
                continue
            name = _member_name(info)
            member = f"{where}/{name}"
            if info.flag_bits & 1:
                ctx.refuse(member, "encrypted archive entry")
                continue
            try:
                content = read_member(ctx, zf, info, member)
            except Stop:
                raise
            except Exception as e:
                ctx.refuse(member, f"damaged archive entry ({error_name(e)})")
                continue
            ctx.nested(member, name.rsplit("/", 1)[-1], "application/octet-stream", content, depth + 1)
