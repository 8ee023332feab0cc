"""Integrity of the personal-data test set (tests/privacy_set): labels match the files, every labelled
national code is checksum-valid and really present where labelled, clean mail holds no valid personal
code, and the generator reproduces the committed bytes."""
from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from . import codes as C
from . import docs as D
from . import extract as X

HERE = Path(__file__).resolve().parent
MESSAGES = HERE / "messages"
KINDS = set(C.PERSONAL_KINDS) | {"iban", "birth-date", "salary", "phone", "email", "name"}


@pytest.fixture(scope="module")
def labels() -> list[dict]:
    return json.loads((HERE / "labels.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def texts(labels) -> dict[str, dict[str, str]]:
    return {lab["file"]: X.texts((MESSAGES / lab["file"]).read_bytes()) for lab in labels}


def test_labels_match_files(labels):
    files = sorted(p.name for p in MESSAGES.glob("*.eml"))
    assert files, "no messages: run python -m tests.privacy_set.generate"
    assert sorted(lab["file"] for lab in labels) == files
    assert len({lab["file"] for lab in labels}) == len(labels)
    clients = {"acme", "baltic", "carpat", "tatra", "krylov"}
    for lab in labels:
        assert {"file", "personal", "client", "findings", "note"} <= set(lab), lab["file"]
        assert lab["client"] in clients, lab["file"]
        assert lab["note"], lab["file"]
        if lab["personal"]:
            assert lab["findings"], f"{lab['file']}: personal without findings"
        else:
            assert lab["findings"] == [], f"{lab['file']}: clean with findings"
        for f in lab["findings"]:
            assert f["kind"] in KINDS, (lab["file"], f)
            assert f["where"], (lab["file"], f)
            if f["kind"] in C.PERSONAL_KINDS or f["kind"] == "iban":
                assert f.get("values"), f"{lab['file']}: {f['kind']} without values"


def test_messages_are_rfc5322(labels):
    for lab in labels:
        raw = (MESSAGES / lab["file"]).read_bytes()
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert b"\n" not in raw.replace(b"\r\n", b""), f"{lab['file']}: bare LF"
        for name in (b"Message-ID:", b"Date:", b"From:", b"To:", b"Subject:", b"MIME-Version:"):
            assert any(line.startswith(name) for line in head.split(b"\r\n")), (lab["file"], name)
        assert max(len(line) for line in raw.split(b"\r\n")) <= 998, lab["file"]


def test_labelled_places_exist_and_hold_the_values(labels, texts):
    for lab in labels:
        t = texts[lab["file"]]
        for f in lab["findings"]:
            assert f["where"] in t, f"{lab['file']}: no part {f['where']!r} (parts: {sorted(t)})"
            hay = X.squash(t[f["where"]])
            for v in f.get("values", []):
                assert X.squash(v) in hay, f"{lab['file']}: {f['kind']} {v!r} not in {f['where']!r}"


def test_labelled_codes_validate(labels):
    for lab in labels:
        for f in lab["findings"]:
            if f["kind"] in C.PERSONAL_KINDS or f["kind"] == "iban":
                for v in f["values"]:
                    assert C.is_valid(f["kind"], v), f"{lab['file']}: {f['kind']} {v!r} is not checksum-valid"
    assert C.snils_is_valid("112-233-445 95") and not C.snils_is_valid("112-233-445 96")


def test_every_code_kind_is_well_spread(labels):
    per_kind = collections.defaultdict(set)
    places = collections.defaultdict(set)
    for lab in labels:
        for f in lab["findings"]:
            if f["kind"] in C.PERSONAL_KINDS:
                per_kind[f["kind"]].add(lab["file"])
                w = f["where"]
                places[f["kind"]].add("body" if w in ("body", "subject") else w.rsplit(".", 1)[-1].lower())
    for kind in C.PERSONAL_KINDS:
        assert len(per_kind[kind]) >= 15, f"{kind}: only {len(per_kind[kind])} messages"
        assert "body" in places[kind] and len(places[kind]) >= 4, f"{kind}: places {places[kind]}"


def test_no_unlabelled_valid_codes(labels, texts):
    """Clean mail holds no number that validates as a personal code; personal mail holds none beyond the labelled."""
    for lab in labels:
        labelled = collections.defaultdict(set)
        for f in lab["findings"]:
            for v in f.get("values", []):
                labelled[f["where"]].add("".join(ch for ch in v if ch.isdigit()))
        for where, text in texts[lab["file"]].items():
            for digits, kinds in C.scan(text):
                assert digits in labelled[where], \
                    f"{lab['file']}: {digits} validates as {sorted(kinds)} in {where!r} but is not labelled"


def test_balance_and_size(labels):
    personal = sum(lab["personal"] for lab in labels)
    # The original 261 + 260 and the additions' 31 + 72 (README.md, "The additions").
    assert 280 <= personal <= 320 and 320 <= len(labels) - personal <= 360
    tricky = collections.Counter(lab["personal"] for lab in labels if lab.get("tricky"))
    assert tricky[True] >= 20 and tricky[False] >= 20
    assert sum(p.stat().st_size for p in MESSAGES.glob("*.eml")) < 8 * 1024 * 1024


def test_broken_variants_fail():
    import random
    rng = random.Random(1)
    for kind in C.PERSONAL_KINDS:
        for _ in range(50):
            code = C.fmt(kind, C.personal_code(kind, rng))
            bad = C.broken(kind, code, rng)
            assert len(bad) == len(code) and C.is_valid(kind, code) and not C.is_valid(kind, bad)
