"""Configuration: one YAML file, validated at start-up, overridable from the environment.

A wrong key or type stops the program with a message that names the key (``clients.0.language: ...``).
Reading the file and the environment overrides is `configfile`'s job; this module is the schema.
"""
from __future__ import annotations

import os
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from mailbot.configfile import ConfigError, default_path, read  # noqa: F401  (ConfigError is part of the API)

LANGUAGES = ("lv", "lt", "ro", "sk", "ru", "en")
Language = Literal["lv", "lt", "ro", "sk", "ru", "en"]
AUTO_WORKERS_MAX = 4
_KEY = re.compile(r"[a-z_][a-z0-9_]*$")
_TAGS = frozenset(("int", "str", "float", "bool", "list", "dict"))
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h|d|wd)\s*$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError(f"not an e-mail address: {value!r}")
    return value


class Database(Strict):
    url: str = "sqlite:///var/mailbot.db"
    # FULL makes every acknowledged message survive a power cut, not only a process crash.
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    pool_size: int = Field(5, ge=1)


class Listener(Strict):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(2525, ge=0, le=65535)


class Listen(Strict):
    smtp: Listener = Listener()
    lmtp: Listener = Listener(enabled=False, port=2424)
    # bytes; larger gets 552. 40 MiB: a 25 MB attachment (what the big mail services let a client attach)
    # is about 34 MB once base64-encoded, and it must arrive.
    max_message_size: int = Field(41_943_040, ge=1024)
    hostname: str = "mailbot"
    # Processes taking mail on the same sockets (one core each); auto: one per available core, at most
    # AUTO_WORKERS_MAX (beyond that SQLite's single writer, not the cores, sets the pace).
    workers: Annotated[int, Field(ge=1, le=64)] | Literal["auto"] = "auto"

    @property
    def processes(self) -> int:
        if self.workers != "auto":
            return self.workers
        try:
            cores = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            cores = os.cpu_count() or 1
        return max(1, min(cores, AUTO_WORKERS_MAX))


class SmtpRelay(Strict):
    host: str = "127.0.0.1"
    port: int = Field(25, ge=1, le=65535)
    starttls: bool = False
    tls: bool = False  # implicit TLS (port 465)
    username: str | None = None
    password: str | None = None  # environment only: MAILBOT_OUTBOUND__SMTP__PASSWORD
    timeout: float = Field(30.0, gt=0)


class Outbound(Strict):
    enabled: bool = True  # false: nothing is ever sent (rows stay queued)
    transport: Literal["smtp", "maildir"] = "maildir"
    from_: str | None = Field(None, alias="from")
    maildir: str = "var/outbox"
    smtp: SmtpRelay = SmtpRelay()
    max_attempts: int = Field(8, ge=1)
    retry_base_seconds: float = Field(30.0, gt=0)
    retry_max_seconds: float = Field(3600.0, gt=0)
    poll_seconds: float = Field(2.0, gt=0)
    auto_reply_limit_per_day: int = Field(10, ge=0)

    @field_validator("from_")
    @classmethod
    def _from(cls, v):
        return None if v is None else _email(v)


class Imap(Strict):
    """An existing mailbox mailbot reads (IDLE, with polling as the fallback)."""
    host: str
    port: int | None = Field(None, ge=1, le=65535)  # default: 993 with tls: ssl, else 143
    tls: Literal["ssl", "starttls", "none"] = "ssl"
    verify: bool = True  # check the server's certificate
    ca_file: str | None = None  # a private CA or self-signed certificate to trust
    username: str
    password: str | None = None  # environment only: MAILBOT_MAILBOXES__<n>__IMAP__PASSWORD
    folder: str = "INBOX"
    after: Literal["move", "flag", "delete"] = "move"  # once a message is committed
    move_to: str = "Processed"  # created if missing
    idle: bool = True
    idle_seconds: float = Field(300.0, ge=5, le=1740)  # IDLE is re-issued well before the 29-minute limit
    poll_seconds: float = Field(30.0, gt=0)  # without IDLE
    batch: int = Field(50, ge=1, le=1000)  # messages per FETCH when catching up on a backlog
    lease_seconds: float = Field(90.0, ge=3)  # how long another daemon waits before taking over a silent reader
    timeout: float = Field(30.0, gt=0)

    @property
    def effective_port(self) -> int:
        return self.port or (993 if self.tls == "ssl" else 143)


class Mailbox(Strict):
    name: str
    address: str
    role: Literal["support", "objections"] = "support"
    display_name: str | None = None
    imap: Imap | None = None

    @field_validator("address")
    @classmethod
    def _addr(cls, v):
        return _email(v)


class Agent(Strict):
    email: str
    name: str
    role: Literal["agent", "dispatcher", "head"] = "agent"
    language: Language = "en"  # of the notifications and answers mailbot sends them

    @field_validator("email")
    @classmethod
    def _addr(cls, v):
        return _email(v)


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
        return _zone_name(v) if v is not None else v

    @field_validator("domains")
    @classmethod
    def _domains(cls, v):
        return tuple(d.strip().lower().lstrip("@") for d in v)

    @field_validator("contacts")
    @classmethod
    def _contacts(cls, v):
        return tuple(_email(c) for c in v)


class UnknownSenders(Strict):
    policy: Literal["accept", "reject"] = "accept"  # accept: an unassigned ticket
    language: Language = "en"


class Commands(Strict):
    """How agents' command mails are authenticated and answered (invariant 6)."""
    auth: Literal["token", "authres", "token_or_authres", "token_and_authres"] = "token"
    trusted_authserv_ids: tuple[str, ...] = ()  # Authentication-Results from these servers are believed
    secret: str | None = None  # environment only: MAILBOT_COMMANDS__SECRET (else generated, kept in the database)
    confirm: Literal["all", "errors"] = "all"  # answer every command, or only the refused ones


_BY_LANGUAGE = {"lv": ("LV", "Europe/Riga"), "lt": ("LT", "Europe/Vilnius"), "ro": ("RO", "Europe/Bucharest"),
                "sk": ("SK", "Europe/Bratislava"), "ru": ("RU", "Europe/Moscow")}


def _zone_name(v: str) -> str:
    from zoneinfo import ZoneInfo
    try:
        ZoneInfo(v)
    except Exception:
        raise ValueError(f"unknown time zone {v!r} (use an IANA name such as Europe/Vilnius)") from None
    return v


class Tickets(Strict):
    reopen_days: int = Field(14, ge=0)  # a client's reply to a resolved ticket reopens it within this period
    timezone: str = "Europe/Riga"  # work dates of time entries are days in this zone

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v):
        return _zone_name(v)


class Jobs(Strict):
    """Scheduled work in the daemon: statements when due, purge of expired pd-allow data."""
    enabled: bool = True


class Parking(Strict):
    max_attempts: int = Field(5, ge=1)
    retry_seconds: float = Field(300.0, gt=0)


class Config(Strict):
    database: Database = Database()
    listen: Listen = Listen()
    outbound: Outbound = Outbound()
    mailboxes: tuple[Mailbox, ...] = Field(..., min_length=1)
    agents: tuple[Agent, ...] = ()
    plans: tuple[Plan, ...] = ()
    clients: tuple[Client, ...] = ()
    unknown_senders: UnknownSenders = UnknownSenders()
    commands: Commands = Commands()
    tickets: Tickets = Tickets()
    parking: Parking = Parking()
    privacy: Privacy = Privacy()
    statements: Statements = Statements()
    jobs: Jobs = Jobs()
    source: str | None = Field(None, exclude=True)  # the file it came from, for messages
    _cache: dict = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _references(self):
        plans = {p.name for p in self.plans}
        agents = {a.email for a in self.agents}
        for i, c in enumerate(self.clients):
            if c.plan is not None and c.plan not in plans:
                raise ValueError(f"clients.{i}.plan: unknown plan {c.plan!r} (plans: {sorted(plans)})")
            if c.consultant is not None and c.consultant.lower() not in agents:
                raise ValueError(f"clients.{i}.consultant: {c.consultant!r} is not one of the agents")
        if "authres" in self.commands.auth and not self.commands.trusted_authserv_ids:
            raise ValueError(f"commands.trusted_authserv_ids: needed with commands.auth: {self.commands.auth}")
        for key, items, attr in (("mailboxes", self.mailboxes, "address"), ("agents", self.agents, "email"),
                                 ("clients", self.clients, "id")):
            seen = set()
            for i, item in enumerate(items):
                value = getattr(item, attr)
                if value in seen:
                    raise ValueError(f"{key}.{i}.{attr}: duplicate {value!r}")
                seen.add(value)
        return self

    # Lookups used on every message; built once.
    def mailbox_for(self, address: str) -> Mailbox | None:
        """Plus-addresses (help+mb12.x@...) belong to their mailbox (help@...)."""
        local, _, domain = address.lower().partition("@")
        return self._index("_mailboxes", lambda: {m.address: m for m in self.mailboxes}).get(
            f"{local.split('+', 1)[0]}@{domain}")

    def plan_categories(self, client: "Client | None") -> tuple[str, ...]:
        plan = self.plan_for(client)
        return tuple(plan.categories) if plan else ("free", "paid")

    def today(self, now: datetime | None = None):
        """The date in the tickets' time zone (the day a time entry or an exemption belongs to)."""
        from zoneinfo import ZoneInfo
        zone = ZoneInfo(self.tickets.timezone)
        return (now.astimezone(zone) if now is not None else datetime.now(zone)).date()

    def statements_for(self, client: "Client") -> Statements:
        if client.statements is None:
            return self.statements
        return self.statements.model_copy(update=client.statements.model_dump(exclude_none=True))

    def client_zone(self, client: "Client") -> tuple[str, str]:
        """(country, IANA time zone) of a client: its own, else its language's, else the tickets' zone."""
        country, zone = _BY_LANGUAGE.get(client.language, ("LV", self.tickets.timezone))
        return client.country or country, client.timezone or zone

    def privacy_for(self, client: "Client | None") -> Privacy:
        if client is None or client.privacy is None:
            return self.privacy
        return self._index(f"_privacy:{client.id}", lambda: self.privacy.model_copy(
            update=client.privacy.model_dump(exclude_none=True)))

    def agent_for(self, address: str) -> Agent | None:
        return self._index("_agents", lambda: {a.email: a for a in self.agents}).get(address.lower())

    def client_by_id(self, client_id: str | None) -> Client | None:
        return self._index("_clients", lambda: {c.id: c for c in self.clients}).get(client_id)

    def plan_for(self, client: Client | None) -> Plan | None:
        if client is None or client.plan is None:
            return None
        return self._index("_plans", lambda: {p.name: p for p in self.plans})[client.plan]

    def client_for(self, address: str) -> Client | None:
        """A registered contact wins over a domain match."""
        address = address.lower()
        contacts = self._index("_contacts", lambda: {a: c for c in self.clients for a in c.contacts})
        if address in contacts:
            return contacts[address]
        domains = self._index("_domains", lambda: {d: c for c in self.clients for d in c.domains})
        return domains.get(address.rpartition("@")[2])

    @property
    def own_addresses(self) -> frozenset[str]:
        own = {m.address for m in self.mailboxes}
        if self.outbound.from_:
            own.add(self.outbound.from_)
        return frozenset(own)

    def _index(self, name, build):
        if name not in self._cache:
            self._cache[name] = build()
        return self._cache[name]


def load(path: str | os.PathLike | None = None, environ=None) -> Config:
    """Read, override from the environment, validate. Raises ConfigError naming the key."""
    path = Path(path) if path else default_path()
    data = read(path, environ)
    try:
        return Config.model_validate({**data, "source": str(path)})
    except ValidationError as exc:
        problems: dict[str, list[str]] = {}
        for err in exc.errors():
            # a union's members appear in the location ("constrained-int", "literal['auto']"): not keys
            key = ".".join(str(p) for p in err["loc"] if isinstance(p, int) or _KEY.match(p) and p not in _TAGS)
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key"
            problems.setdefault(key, []).append(msg)
        lines = [f"{key}: {' or '.join(msgs)}" if key else " or ".join(msgs) for key, msgs in problems.items()]
        raise ConfigError(f"{path}: invalid configuration:\n  " + "\n  ".join(lines)) from None
