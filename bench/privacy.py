"""How fast the personal-data guard scans, and how well it finds what it should (prints JSON).

    python bench/privacy.py [--n 2000] [--repeat 5] [--output FILE]

Throughput: `scan_message` (the guard's whole work: detectors over subject, body and every attachment's
extracted text) over the core benchmark's mail mix (bench/mailgen.py, parsed beforehand), and over the
labelled test set in tests/privacy_set (payroll exports, spreadsheets, PDFs, archives, screenshots read by
Tesseract when it is installed; also measured without OCR). MB/s counts the
text scanned (subject + body + extracted attachment text, UTF-8 bytes). Median of --repeat runs.
Quality: message-level recall on the labelled personal-data messages, false discards on the clean ones,
and per-kind recall (see tests/privacy/test_quality.py, which holds the targets).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import mailgen  # noqa: E402

from mailbot.mime.message import parse  # noqa: E402
from mailbot.privacy.extract import Limits, extract  # noqa: E402
from mailbot.privacy.scan import Context, scan_message  # noqa: E402
from tests.privacy_set.quality import evaluate, load_set  # noqa: E402


def text_bytes(msgs) -> int:
    total = 0
    for msg in msgs:
        total += len((msg.subject or "").encode()) + len((msg.text or "").encode())
        for att in msg.attachments:
            total += sum(len(s.text.encode()) for s in extract(att.filename, att.content_type, att.data).segments)
    return total


def timed(msgs, ctxs, repeat: int, limits: Limits) -> list[float]:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        for msg, ctx in zip(msgs, ctxs):
            scan_message(msg, ctx, limits)
        runs.append(time.perf_counter() - t)
    return runs


def measure(name: str, msgs, ctxs, repeat: int, limits: Limits = Limits()) -> dict:
    size = text_bytes(msgs)
    runs = timed(msgs, ctxs, repeat, limits)
    median = statistics.median(runs)
    return {"messages": len(msgs), "text_mb": round(size / 1e6, 3), "median_s": round(median, 3),
            "runs_s": [round(r, 3) for r in runs], "messages_per_s": round(len(msgs) / median, 1),
            "mb_per_s": round(size / 1e6 / median, 2), "ms_per_message": round(1000 * median / len(msgs), 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="messages of the core mix")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=20260302)
    ap.add_argument("--output", type=Path)
    args = ap.parse_args()
    mix = [parse(m.raw) for m in mailgen.generate(args.n, args.seed, tag="t")]
    mix_ctx = [Context(language=None, sender=(m.sender or "").lower(), sender_name=m.sender_name or "") for m in mix]
    labelled, config = load_set()
    set_msgs = [item.msg for item in labelled]
    set_ctx = [item.ctx for item in labelled]
    out = {"command": " ".join(["python", "bench/privacy.py"] + sys.argv[1:]),
           "core_mix": measure("core mix", mix, mix_ctx, args.repeat),
           "privacy_set": measure("privacy set", set_msgs, set_ctx, args.repeat),
           "privacy_set_without_ocr": measure("privacy set", set_msgs, set_ctx, args.repeat, Limits(ocr=False)),
           "quality": evaluate(labelled)}
    text = json.dumps(out, indent=2, ensure_ascii=False)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
