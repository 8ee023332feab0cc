"""Score the personal-data guard on the labelled set: message recall, false discards, per-kind recall.

Used by tests/test_privacy_quality.py (which holds the targets) and bench/privacy.py (which reports them).
A message counts as flagged when the scan finds anything in it: that is when the guard would act.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mailbot.config import load
from mailbot.mime.message import parse
from mailbot.privacy.scan import Context, scan_message
from mailbot.privacy.verdict import known_addresses

HERE = Path(__file__).resolve().parent


@dataclass
class Item:
    file: str
    label: dict
    msg: object
    ctx: Context


def load_set() -> tuple[list[Item], object]:
    config = load(HERE / "config.yaml", environ={})
    items = []
    for label in json.loads((HERE / "labels.json").read_text(encoding="utf-8")):
        msg = parse((HERE / "messages" / label["file"]).read_bytes())
        sender = (msg.sender or "").lower()
        client = config.client_for(sender)
        items.append(Item(label["file"], label, msg, Context(
            language=client.language if client else None, sender=sender, sender_name=msg.sender_name or "",
            known=known_addresses(config))))
    return items, config


def evaluate(items: list[Item]) -> dict:
    personal = [i for i in items if i.label["personal"]]
    clean = [i for i in items if not i.label["personal"]]
    found = {i.file: scan_message(i.msg, i.ctx).findings for i in items}
    missed = [i.file for i in personal if not found[i.file]]
    false = {i.file: sorted({f"{f.kind}@{f.where}" for f in found[i.file]}) for i in clean if found[i.file]}
    want, hit, kind_misses = Counter(), Counter(), []
    for i in personal:
        kinds = {f.kind for f in found[i.file]}
        for kind in {f["kind"] for f in i.label["findings"]}:
            want[kind] += 1
            if kind in kinds:
                hit[kind] += 1
            else:
                kind_misses.append(f"{i.file}:{kind}")
    return {
        "personal_messages": len(personal), "clean_messages": len(clean),
        "message_recall": round(1 - len(missed) / max(1, len(personal)), 4),
        "false_discard_rate": round(len(false) / max(1, len(clean)), 4),
        "per_kind_recall": {k: round(hit[k] / want[k], 4) for k in sorted(want)},
        "per_kind_count": dict(sorted(want.items())),
        "missed_messages": missed, "false_discards": false, "kind_misses": kind_misses}
