"""What an agent is told, as data: a code and the values it names, never a sentence.

A refused tag, a refused command, what a command applied, why a mail did not prove to come from the agent: each
is a `Notice`. The sentence is written by `templates/<lang>/_notices.j2` in the reader's language (the agent's),
so code holds no English for people to read. `str(notice)` is a compact form for logs and exceptions only.

The codes, by who raises them (their values in brackets; `raw` is the tag as the agent wrote it):

* the tag grammar (mailbot.agents.tags): impossible-date, time-unparsable, time-not-whole, time-zero,
  time-over-24h, date-in-future [raw]; needs-one [keyword, expected: name | level | priority | date | month, raw];
  name-not-address [keyword, raw]; not-a-name [raw]; bad-level [keyword, raw]; bad-priority [raw];
  pd-allow-needs-date [raw]; report-needs-month [raw]; category-not-in-plan [raw]; unknown-tag [raw];
  two-values [field, first, second]; take-and-assign, note-and-notify, note-and-client-status [first, second];
* the command's checks (mailbot.pipeline.command): no-ticket; unknown-client, notify-no-contact,
  report-no-contact [client]; client-on-ticket [ticket]; status-not-possible [tag, ticket, status];
  assign-not-allowed; no-such-agent [name]; report-not-allowed; report-needs-client; report-bad-month [month];
  pd-allow-not-head; pd-allow-needs-ticket; pd-allow-in-past [date]; time-in-billed-period [date, period];
* objections (mailbot.agents.decisions, mailbot.pipeline.decide): decision-unparsable [raw]; decision-none;
  decision-not-head; decision-no-objection; decision-not-in-objection [objection, ticket];
  decision-already-decided, decision-no-items [objection];
* what was applied: opened [client]; category [category]; time [minutes, category, date]; description
  [text]; assigned, started
  [agent]; priority [priority]; statement-sent [client, period, version]; pd-allow [date]; status [old, new];
  not-relayed; upheld [objection, ticket, category]; rejected [objection, ticket]; corrected [ticket, period,
  entries, old, new];
* proof of the sender (mailbot.agents.auth): token-valid, token-missing, token-invalid; token-other-ticket
  [token_ticket, subject_ticket]; authres-dmarc-pass, authres-dmarc-fail, authres-no-pass [server];
  authres-dkim-aligned [server, domain]; authres-dkim-not-aligned [server, domains, from_domain]; authres-none.
"""
from __future__ import annotations

from dataclasses import dataclass, field


CODES = frozenset((
    # the tag grammar
    "impossible-date", "time-unparsable", "time-not-whole", "time-zero", "time-over-24h", "date-in-future",
    "needs-one", "name-not-address", "not-a-name", "bad-level", "bad-priority", "pd-allow-needs-date",
    "report-needs-month", "category-not-in-plan", "unknown-tag", "two-values", "take-and-assign", "note-and-notify",
    "note-and-client-status",
    # the command's checks
    "no-ticket", "unknown-client", "notify-no-contact", "client-on-ticket", "status-not-possible",
    "assign-not-allowed", "no-such-agent", "report-not-allowed", "report-needs-client", "report-no-contact",
    "report-bad-month", "pd-allow-not-head", "pd-allow-needs-ticket", "pd-allow-in-past", "time-in-billed-period",
    # objections: the decision grammar (mailbot.agents.decisions) and its checks (mailbot.pipeline.decide)
    "decision-unparsable", "decision-none", "decision-not-head", "decision-no-objection", "decision-not-in-objection",
    "decision-already-decided", "decision-no-items",
    # what was applied
    "opened", "category", "time", "description", "assigned", "started", "priority", "statement-sent", "pd-allow",
    "status", "not-relayed", "upheld", "rejected", "corrected",
    # proof of the sender
    "token-valid", "token-missing", "token-invalid", "token-other-ticket", "authres-dmarc-pass", "authres-dmarc-fail",
    "authres-dkim-aligned", "authres-dkim-not-aligned", "authres-no-pass", "authres-none",
))


@dataclass(frozen=True)
class Notice:
    code: str
    values: dict = field(default_factory=dict, compare=True)

    def __str__(self) -> str:
        return self.code + "".join(f" {k}={v}" for k, v in self.values.items())

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted((k, str(v)) for k, v in self.values.items()))))


def notice(code: str, **values) -> Notice:
    """A Notice of a known code (every code has its phrase in all six languages: tests/agents hold them to it)."""
    if code not in CODES:
        raise ValueError(f"unknown notice code {code!r}")
    return Notice(code, values)
