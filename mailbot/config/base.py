"""The configuration's building blocks: the strict model every section derives from, and the checks they share."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

LANGUAGES = ("lv", "lt", "ro", "sk", "ru", "en")
Language = Literal["lv", "lt", "ro", "sk", "ru", "en"]
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError(f"not an e-mail address: {value!r}")
    return value



def zone_name(v: str) -> str:
    from zoneinfo import ZoneInfo
    try:
        ZoneInfo(v)
    except Exception:
        raise ValueError(f"unknown time zone {v!r} (use an IANA name such as Europe/Vilnius)") from None
    return v
