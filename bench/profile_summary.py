"""Summarise a py-spy raw profile (`ingest.py --profile DIR` writes them with --threads --idle).

    python bench/profile_summary.py DIR/sqlite_full_throughput.txt [--top 40] [--thread mailbot-db]

Per thread: samples, and the functions with the largest inclusive share (a function counted once per sample
even when it recurses), plus the leaf functions (self time). With --idle, waiting shows too (e.g. the event
loop's select, a commit's fsync), so shares are of wall time, not of CPU.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict

_LINE = re.compile(r"^(.*) (\d+)$")
_FRAME = re.compile(r"^(.*) \(([^():]+)(?::\d+)?\)$")


def frame_name(frame: str) -> str:
    m = _FRAME.match(frame)
    if not m:
        return frame
    func, path = m.groups()
    parts = path.split("/")
    return f"{func} ({'/'.join(parts[-2:])})"


def load(path):
    threads = defaultdict(list)
    for line in open(path, encoding="utf-8", errors="replace"):
        m = _LINE.match(line.rstrip("\n"))
        if not m:
            continue
        stack, n = m.group(1), int(m.group(2))
        frames = stack.split(";")
        thread = frames[0]
        name = thread.split(":", 1)[1].strip() if ":" in thread else thread
        threads[name.split("_")[0] if name.startswith("mailbot-db") else name].append(
            ([frame_name(f) for f in frames[1:]], n))
    return threads


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("profile")
    ap.add_argument("--top", type=int, default=35)
    ap.add_argument("--thread", default=None, help="only threads whose name starts with this")
    args = ap.parse_args()
    threads = load(args.profile)
    for name, stacks in sorted(threads.items(), key=lambda kv: -sum(n for _, n in kv[1])):
        if args.thread and not name.startswith(args.thread):
            continue
        total = sum(n for _, n in stacks)
        if total < 10:
            continue
        incl, leaf = Counter(), Counter()
        for frames, n in stacks:
            for f in set(frames):
                incl[f] += n
            if frames:
                leaf[frames[-1]] += n
        print(f"== thread {name}: {total} samples")
        print("  inclusive:")
        for f, n in incl.most_common(args.top):
            print(f"    {100 * n / total:5.1f}%  {f}")
        print("  self:")
        for f, n in leaf.most_common(15):
            print(f"    {100 * n / total:5.1f}%  {f}")


if __name__ == "__main__":
    main()
