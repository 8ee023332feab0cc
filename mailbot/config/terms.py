"""What is agreed with each client: plans (billing terms), statements, the personal-data policy, and the client."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator, model_validator

from mailbot.config.base import Language, Strict, email, zone_name
from mailbot.config.service_levels import Targets

_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h|d|wd)\s*$")
# The country and time zone of a client who states neither: those of the language it writes in.
BY_LANGUAGE = {"lv": ("LV", "Europe/Riga"), "lt": ("LT", "Europe/Vilnius"), "ro": ("RO", "Europe/Bucharest"),
               "sk": ("SK", "Europe/Bratislava"), "ru": ("RU", "Europe/Moscow")}


Money = Decimal  # amounts: written as strings or numbers in YAML, exact Decimals here


class Rounding(Strict):
    """How entered minutes become billed minutes (see mailbot.billing.rounding)."""
    scope: Literal["entry", "ticket", "request"] = "entry"
    unit: int = Field(1, ge=1, le=1440)  # minutes: billed time is a multiple of it
    minimum: int = Field(0, ge=0, le=1440)  # minutes: per entry (entry scope) or per ticket (ticket scope)


class Category(Strict):
    rate: Money = Field(Decimal(0), ge=0)  # per hour; per request with scope: request
    over_rate: Money | None = Field(None, ge=0)  # beyond the allowance (default: rate)
    rounding: Rounding | None = None  # default: the plan's
    # The price of one rounding unit, as the terms say it (Platphorma: 25 EUR per 30-minute "ticket") instead of
    # an hourly rate: statements then show units and that price, not a derived hourly rate; over_rate, if given,
    # is per unit too.
    per_unit: Money | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _one_price(self):
        if self.per_unit is not None and self.rate:
            raise ValueError("give a category either rate (per hour) or per_unit (per rounding unit), not both")
        return self


class Allowance(Strict):
    """Included per period: minutes, units of the plan's rounding unit, or requests; free time never counts."""
    minutes: int = Field(0, ge=0)
    units: int = Field(0, ge=0)
    requests: int = Field(0, ge=0)


class Fee(Strict):
    name: str
    amount: Money = Field(..., ge=0)
    per: Literal["period", "workstation"] = "period"  # workstation: times the client's `workstations`


class Plan(Strict):
    name: str
    # What clients read: one name for all, or one per language ({lv: "Ātrais atbalsts 4 h", en: "Fast support 4 h"});
    # `name` is the configuration's key and is shown where no title fits.
    title: str | dict[Language, str] | None = None
    reaction_time: str = Field(..., description="e.g. 30m, 4h, 2d, 15wd (working days)")
    # What agents may tag time with, and how each is billed. A plain list gives unbilled categories.
    categories: dict[str, Category] = Field(default_factory=lambda: {"free": Category(), "paid": Category()})
    rounding: Rounding = Rounding()
    allowance: Allowance = Allowance()
    fees: tuple[Fee, ...] = ()
    currency: str = Field("EUR", pattern=r"^[A-Z]{3}$")
    prices_exclude_vat: bool = True
    period: Literal["monthly"] = "monthly"
    objection_days: int = Field(2, ge=0)  # seed 000: objections within 2 days, to the objections mailbox
    objection_counting: Literal["calendar", "working"] = "calendar"  # working: weekends and holidays skipped
    objection_late: Literal["review", "reject"] = "review"  # a late objection still goes to the head, or not
    # Service levels (mailbot.config.service_levels): the calendar its times run on, what it promises, per priority.
    calendar: str = "24/7"
    targets: Targets = Targets()
    priorities: dict[Literal["P1", "P2", "P3", "P4"], Targets] = Field(default_factory=dict)
    emergencies: bool = False  # a client's "urgent" raises the urgency (Platphorma: emergencies by phone)
    paid_analysis_at_breach: bool = False  # 1C: past the resolution time, analysis is paid once the price is agreed

    @field_validator("categories", mode="before")
    @classmethod
    def _categories(cls, v):
        if isinstance(v, (list, tuple)):
            v = {str(name): {} for name in v}
        if not isinstance(v, dict):
            raise ValueError("a list of category names, or a mapping of names to {rate, over_rate, rounding}")
        v = {str(k).strip().lower(): ({} if terms is None else terms) for k, terms in v.items()}
        if "free" not in v or "paid" not in v:
            raise ValueError("a plan's categories include at least free and paid")
        return v

    def title_in(self, lang: str) -> str:
        """The plan's name as a client reading `lang` sees it."""
        if isinstance(self.title, dict):
            return self.title.get(lang) or self.title.get("en") or next(iter(self.title.values()), self.name)
        return self.title or self.name

    def terms(self, category: str) -> Category:
        return self.categories[category]

    def rule(self, category: str) -> Rounding:
        return self.categories[category].rounding or self.rounding

    @property
    def allowance_minutes(self) -> int:
        return self.allowance.minutes + self.allowance.units * self.rounding.unit

    @field_validator("reaction_time")
    @classmethod
    def _reaction(cls, v):
        if not _DURATION.match(str(v)):
            raise ValueError("use a number and a unit: 30m, 4h, 2d or 15wd (working days)")
        return str(v).strip()

    def target(self, clock: str, priority: str | None = None, category: str | None = None) -> str | None:
        """The plan's target for a clock ("response" or "resolution") at that priority: the priority's own, else the
        plan's; a category of changes has the `changes` target for resolution; response defaults to reaction_time."""
        chosen = self.priorities.get(priority) if priority else None
        for targets in (chosen, self.targets):
            if targets is None:
                continue
            if clock == "resolution" and category in targets.changes_categories and targets.changes:
                return targets.changes
            if getattr(targets, clock):
                return getattr(targets, clock)
        return self.reaction_time if clock == "response" else None

    @property
    def reaction(self) -> tuple[int, str]:
        n, unit = _DURATION.match(self.reaction_time).groups()
        return int(n), {"min": "m"}.get(unit, unit)


class Statements(Strict):
    """When clients get their history and hours statement (per client: `clients[].statements`)."""
    send: Literal["scheduled", "on_request", "never"] = "scheduled"
    include_free: bool = True  # seed 000: free requests are listed (not charged) unless the client opts out
    hour: int = Field(7, ge=0, le=23)  # local time on the first working day of the month
    workers: int = Field(1, ge=1, le=32)  # processes a month-end run shares its clients among (more cores)


class StatementsOverride(Strict):
    send: Literal["scheduled", "on_request", "never"] | None = None
    include_free: bool | None = None
    # The first month a scheduled statement covers (default: the month mailbot first served the client). Earlier
    # months can still be sent on request or with `mailbot statement send`.
    since: str | None = Field(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")


class Privacy(Strict):
    """The personal-data guard (seed 002). Per client, `clients[].privacy` overrides any of these."""
    enabled: bool = True
    action: Literal["discard", "redact"] = "redact"  # discard: keep only a stub; redact: placeholders
    dpa: bool = False  # a data-processing agreement with the client: keep its mail as it is
    unscannable: Literal["keep", "drop", "personal"] = "keep"  # parts the guard cannot read (encrypted, images)
    ocr: bool = True  # read screenshots with Tesseract when it is installed
    max_seconds: float = Field(10.0, gt=0)  # per attachment, before the rest of it counts as unscannable


class PrivacyOverride(Strict):
    enabled: bool | None = None
    action: Literal["discard", "redact"] | None = None
    dpa: bool | None = None
    unscannable: Literal["keep", "drop", "personal"] | None = None


class Client(Strict):
    id: str
    name: str
    language: Language = "en"
    domains: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    plan: str | None = None
    consultant: str | None = None  # an agent's address: new tickets go to them (seed 000: individual consultant)
    privacy: PrivacyOverride | None = None
    statements: StatementsOverride | None = None
    workstations: int = Field(0, ge=0)  # for per-workstation fees
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$")  # working days (holidays); default: by language
    timezone: str | None = None  # default: by language

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v):
        return zone_name(v) if v is not None else v

    @field_validator("domains")
    @classmethod
    def _domains(cls, v):
        return tuple(d.strip().lower().lstrip("@") for d in v)

    @field_validator("contacts")
    @classmethod
    def _contacts(cls, v):
        return tuple(email(c) for c in v)
