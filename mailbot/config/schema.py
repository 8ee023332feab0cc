"""The whole configuration: its sections, the cross-checks between them, and the lookups every message makes.

A wrong key or type stops the program with a message that names the key (``clients.0.language: ...``).
Reading the file and the environment overrides is `mailbot.config.file`'s job; the sections are in
`sections` (the daemon's own) and `terms` (what is agreed with each client).
"""
from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from pydantic import Field, PrivateAttr, ValidationError, model_validator

from mailbot.config.base import Strict
from mailbot.config.file import ConfigError, default_path, read
from mailbot.config.sections import (Agent, Commands, Role, Database, Health, Jobs, Listen, Logging, Mailbox, Outbound, Parking, Retention, Tickets,
                                     UnknownSenders)
from mailbot.config.service_levels import ALWAYS_NAME, CalendarSpec, ServiceLevels
from mailbot.config.terms import BY_LANGUAGE, Client, Plan, Privacy, Statements

_KEY = re.compile(r"[a-z_][a-z0-9_]*$")
_TAGS = frozenset(("int", "str", "float", "bool", "list", "dict"))


class Config(Strict):
    database: Database = Database()
    listen: Listen = Listen()
    outbound: Outbound = Outbound()
    mailboxes: tuple[Mailbox, ...] = Field(..., min_length=1)
    agents: tuple[Agent, ...] = ()
    calendars: tuple[CalendarSpec, ...] = ()
    plans: tuple[Plan, ...] = ()
    clients: tuple[Client, ...] = ()
    unknown_senders: UnknownSenders = UnknownSenders()
    commands: Commands = Commands()
    tickets: Tickets = Tickets()
    parking: Parking = Parking()
    privacy: Privacy = Privacy()
    statements: Statements = Statements()
    jobs: Jobs = Jobs()
    retention: Retention = Retention()
    health: Health = Health()
    logging: Logging = Logging()
    sla: ServiceLevels = ServiceLevels()
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
        calendars = {c.name for c in self.calendars} | {ALWAYS_NAME}
        for i, p in enumerate(self.plans):
            if p.calendar not in calendars:
                raise ValueError(f"plans.{i}.calendar: unknown calendar {p.calendar!r} (calendars: {sorted(calendars)})")
        if "authres" in self.commands.auth and not self.commands.trusted_authserv_ids:
            raise ValueError(f"commands.trusted_authserv_ids: needed with commands.auth: {self.commands.auth}")
        for key, items, attr in (("mailboxes", self.mailboxes, "address"), ("agents", self.agents, "email"),
                                 ("clients", self.clients, "id"), ("calendars", self.calendars, "name"),
                                 ("plans", self.plans, "name")):
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
        return self.statements.model_copy(update=client.statements.model_dump(exclude_none=True, exclude={"since"}))

    def client_zone(self, client: "Client") -> tuple[str, str]:
        """(country, IANA time zone) of a client: its own, else its language's, else the tickets' zone."""
        country, zone = BY_LANGUAGE.get(client.language, ("LV", self.tickets.timezone))
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

    def dispatchers(self) -> list:
        """Who takes what no one else has: the dispatchers, or the heads of service when there are none."""
        return ([a for a in self.agents if a.role == Role.DISPATCHER] or
                [a for a in self.agents if a.role == Role.HEAD])

    def calendar_spec(self, name: str) -> CalendarSpec | None:
        """A configured calendar by name (None for the built-in 24/7)."""
        return next((c for c in self.calendars if c.name == name), None)

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
        return _beside(Config.model_validate({**data, "source": str(path)}), path.resolve().parent)
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


def _beside(config: Config, folder: Path) -> Config:
    """Relative paths (``sqlite:///var/mailbot.db``, ``var/outbox``) are taken relative to the configuration
    file's folder, not the current directory: a service manager starting the daemon elsewhere must not put the
    database somewhere else."""
    update = {}
    url = config.database.url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and url != "sqlite:///:memory:":
        head, _, rest = url[len("sqlite:///"):].partition("?")
        if head and not Path(head).is_absolute():
            url = f"sqlite:///{folder / head}" + (f"?{rest}" if rest else "")
            update["database"] = config.database.model_copy(update={"url": url})
    if not Path(config.outbound.maildir).is_absolute():
        update["outbound"] = config.outbound.model_copy(update={"maildir": str(folder / config.outbound.maildir)})
    return config.model_copy(update=update) if update else config
