"""Images (PNG, JPEG, GIF, TIFF, BMP, WebP, JPEG 2000): read by OCR; also the OCR the PDF reader uses for
scanned pages. There is no redactor: an image with personal data is dropped.

OCR is the tesseract CLI, when installed, run in a private temporary directory that is removed afterwards,
with one thread and a time budget of its own per attachment (`Limits.ocr_seconds`, which does not count
against the attachment's deadline). An image whose header declares more than `MAX_PIXELS` pixels is
refused before tesseract loads it. When OCR is not available the image is reported as unscannable, never
taken as clean.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time

from mailbot.privacy.kinds import image_ext
from mailbot.privacy.limits import Ctx, error_name


_OCR_LANGUAGES = ("lav", "lit", "ron", "slk", "rus", "eng")
_LANG_CACHE: dict[str, str] = {}
MAX_PIXELS = 100_000_000


class OcrError(Exception):
    """OCR could not read an image; the message is the reason reported."""


def _tesseract() -> tuple[str, str] | None:
    """(path, languages joined with "+") of the tesseract CLI, None when it is not installed. The language
    list is asked once per binary (installing tesseract later is noticed)."""
    path = shutil.which("tesseract")
    if not path:
        return None
    if path not in _LANG_CACHE:
        try:
            r = subprocess.run([path, "--list-langs"], capture_output=True, timeout=15, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError):
            return None
        have = {line.strip() for line in r.stdout.decode("utf-8", "replace").splitlines()[1:]}
        _LANG_CACHE[path] = "+".join(lang for lang in _OCR_LANGUAGES if lang in have)
    return path, _LANG_CACHE[path]


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the header of a PNG, GIF, BMP or JPEG (before OCR tries to load it)."""
    try:
        if data.startswith(b"\x89PNG"):
            return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        if data[:4] in (b"GIF8",):
            return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
        if data[:2] == b"BM":
            return abs(int.from_bytes(data[18:22], "little", signed=True)), \
                abs(int.from_bytes(data[22:26], "little", signed=True))
        if data[:3] == b"\xff\xd8\xff":
            i = 2
            while i + 9 < len(data) and i < 1_000_000:
                if data[i] != 0xFF:
                    return None
                marker = data[i + 1]
                if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                    return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
                if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                    i += 2
                    continue
                i += 2 + int.from_bytes(data[i + 2:i + 4], "big")
    except Exception:
        return None
    return None


def ocr_languages() -> str | None:
    """The languages OCR reads ("lav+lit+...+eng"), "" when tesseract has none of ours, None without tesseract."""
    tess = _tesseract()
    return None if tess is None else tess[1]


def ocr_unavailable(ctx: Ctx) -> str | None:
    if not ctx.limits.ocr:
        return "no OCR available"
    tess = _tesseract()
    if tess is None:
        return "no OCR available"
    if not tess[1]:
        return "no OCR languages installed"
    return None


def ocr(ctx: Ctx, data: bytes, ext: str) -> str:
    """The text tesseract reads in an image; OcrError with the reason when it cannot."""
    tess = _tesseract()
    if tess is None or not tess[1]:
        raise OcrError("no OCR available")
    size = _image_size(data)
    if size and size[0] * size[1] > MAX_PIXELS:
        raise OcrError(f"image too large for OCR ({size[0]}x{size[1]} pixels)")
    if ctx.ocr_left <= 0:
        raise OcrError(f"OCR took longer than {ctx.limits.ocr_seconds:g} s")
    path, langs = tess
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="mailbot-ocr-") as tmp:
            image = os.path.join(tmp, "image" + ext)
            with open(image, "wb") as f:
                f.write(data)
            r = subprocess.run([path, image, "stdout", "-l", langs], capture_output=True, timeout=ctx.ocr_left,
                               stdin=subprocess.DEVNULL, cwd=tmp, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired:
        ctx.ocr_left = 0
        raise OcrError(f"OCR took longer than {ctx.limits.ocr_seconds:g} s") from None
    except OSError as e:
        raise OcrError(f"OCR failed ({error_name(e)})") from None
    finally:
        spent = time.monotonic() - started
        ctx.ocr_left -= spent
        ctx.deadline += spent  # OCR has its own budget
    if r.returncode != 0:
        messages = [line for line in r.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        raise OcrError(f"OCR failed: {messages[-1][:200] if messages else f'exit status {r.returncode}'}")
    return r.stdout.decode("utf-8", "replace")


def read_image(ctx: Ctx, where: str, data: bytes, depth: int) -> None:
    reason = ocr_unavailable(ctx)
    if reason:
        ctx.refuse(where, f"image ({reason})")
        return
    try:
        text = ocr(ctx, data, image_ext(data) or ".img")
    except OcrError as e:
        ctx.refuse(where, str(e))
        return
    ctx.emit(where, text)
