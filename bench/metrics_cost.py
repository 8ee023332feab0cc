"""What Prometheus metrics cost intake: the same daemon with `listen.http` on and off, alternating in one run.

    python bench/metrics_cost.py [--n 1000] [--pairs 3] [--backend sqlite|postgresql]

Each pair runs bench/ingest.py's throughput phase (closed loop, 8 connections, a fresh database and daemon) once
with the endpoint off and once on (`MAILBOT_LISTEN__HTTP__ENABLED=true`, scraped every second meanwhile, as a
busy Prometheus would), in alternating order. Prints JSON: per run msg/s and the daemon's CPU ms per message,
per pair the ratios on/off, and their medians (the target: intake with metrics within 5% of intake without).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import ingest  # noqa: E402
import mailgen  # noqa: E402


class Scraper(threading.Thread):
    """GET /metrics every second while the run lasts; counts the scrapes that worked."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port, self.stop, self.scrapes = port, threading.Event(), 0

    def run(self):
        while not self.stop.wait(1.0):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as r:
                    self.scrapes += r.status == 200
            except OSError:
                pass


def one_run(args, corpus, tmp: Path, metrics: bool) -> dict:
    env = {}
    scraper = None
    if metrics:
        port = ingest.free_port()
        env = {"MAILBOT_LISTEN__HTTP__ENABLED": "true", "MAILBOT_LISTEN__HTTP__PORT": str(port)}
        scraper = Scraper(port)
        scraper.start()
    try:
        out = ingest.run_daemon_backend(args.backend, args, corpus, [], tmp, with_latency=False, extra_env=env)
    finally:
        if scraper is not None:
            scraper.stop.set()
    run = out["runs"][0]
    return {"metrics": metrics, "msgs_per_s": run["msgs_per_s"], "server_cpu_ms_per_msg": run["server_cpu_ms_per_msg"],
            "counts_ok": out["counts_ok"], "scrapes": scraper.scrapes if scraper else None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="messages per run (default 1000)")
    ap.add_argument("--pairs", type=int, default=3, help="off/on pairs, alternating order (default 3)")
    ap.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--seed", type=int, default=20261207)
    args = ap.parse_args()
    # what run_daemon_backend reads from bench/ingest.py's arguments
    args.repeat, args.noisy_retries, args.profile, args.keep = 1, 0, None, False
    ingest.QUIET["max_wait"] = 10.0
    corpus = mailgen.generate(args.n, args.seed, tag="m", min_gap=lambda i: 2 * args.concurrency)
    tmp = Path(tempfile.mkdtemp(prefix="mailbot_metrics_cost_"))
    pairs = []
    for i in range(args.pairs):
        order = (False, True) if i % 2 == 0 else (True, False)
        runs = {m: one_run(args, corpus, tmp, m) for m in order}
        off, on = runs[False], runs[True]
        pairs.append({"off": off, "on": on, "throughput_on_over_off": round(on["msgs_per_s"] / off["msgs_per_s"], 3),
                      "cpu_on_over_off": round(on["server_cpu_ms_per_msg"] / off["server_cpu_ms_per_msg"], 3)})
        ingest.log(f"pair {i + 1}: off {off['msgs_per_s']} msg/s {off['server_cpu_ms_per_msg']} ms CPU/msg; on "
                   f"{on['msgs_per_s']} msg/s {on['server_cpu_ms_per_msg']} ms CPU/msg ({on['scrapes']} scrapes)")
    out = {"benchmark": "metrics_cost", "backend": args.backend, "n": args.n, "machine": ingest.machine(),
           "median_throughput_on_over_off": statistics.median(p["throughput_on_over_off"] for p in pairs),
           "median_cpu_on_over_off": statistics.median(p["cpu_on_over_off"] for p in pairs),
           "target": "throughput ratio >= 0.95", "counts_ok": all(p[k]["counts_ok"] for p in pairs for k in ("on", "off")),
           "pairs": pairs}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
