"""Which of our six languages a message is written in, for answering someone who is not yet a client's contact
in their own language ("Laba diena, neveikia …" gets a Lithuanian receipt).

py3langid (langid.py's model, shipped inside the package: nothing is fetched) restricted to lv, lt, ro, sk, ru
and en; measured on short support mails it is right from a greeting and a few words. Below a confidence of
`MIN_CONFIDENCE`, or on fewer than `MIN_LETTERS` letters, there is no answer and the caller falls back to the
mailbox's language. The model loads once per process, on first use (about a second): never on the pipe
command's hand-off path, which does not parse mail.
"""
from __future__ import annotations

from functools import lru_cache

LANGUAGES = ("lv", "lt", "ro", "sk", "ru", "en")
MIN_CONFIDENCE = 0.8
MIN_LETTERS = 12
SAMPLE = 2000  # characters: the start of a mail says what language it is in


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(LANGUAGES))
    return ident


def detect(text: str) -> str | None:
    """The language of `text` among LANGUAGES, or None when it is too short or too uncertain to say."""
    sample = (text or "")[:SAMPLE]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return None
    lang, confidence = _identifier().classify(sample)
    return lang if confidence >= MIN_CONFIDENCE else None


def warm() -> None:
    """Load the model now (the daemon does it in the background at start, so the first stranger's mail does not
    wait a second for it)."""
    _identifier()
