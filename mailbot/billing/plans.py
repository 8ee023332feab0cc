"""Plans as they were: every version of a plan's terms is kept, and each time entry names the one in force.

Invariant 7: a statement applies the rules of the plan as it was when the work was done, so editing a plan
in the configuration never changes what earlier work costs. The terms are stored as JSON (amounts as
decimal strings) under a hash of their content; a time entry records that hash when it is written.
"""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from sqlalchemy import select

from mailbot.billing.rounding import Allowance, Rule, Terms
from mailbot.config import Plan
from mailbot.store.models import plan_versions
from mailbot.store.queries import insert_ignore

NO_PLAN = Plan(name="(no plan)", reaction_time="1d")  # unbilled: every category at rate 0, minutes as entered


def snapshot(plan: Plan) -> tuple[str, str]:
    """(hash, JSON) of the plan's billing terms."""
    doc = plan.model_dump(mode="json", exclude={"reaction_time"})
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32], text


def register(conn, plan: Plan | None, now) -> str:
    """Store this version of the plan's terms (once) and return its hash, for a time entry to name."""
    digest, text = snapshot(plan or NO_PLAN)
    insert_ignore(conn, plan_versions, hash=digest, name=(plan or NO_PLAN).name, terms=text, created_at=now)
    return digest


def load(conn, digest: str) -> Plan:
    row = conn.execute(select(plan_versions.c.terms).where(plan_versions.c.hash == digest)).first()
    if row is None:
        raise LookupError(f"plan version {digest} is not in the database")
    return Plan.model_validate({**json.loads(row.terms), "reaction_time": "1d"})


def terms_of(plan: Plan) -> tuple[dict[str, Terms], Allowance]:
    """The rounding engine's view of a plan."""
    terms = {}
    for name, category in plan.categories.items():
        rule = plan.rule(name)
        terms[name] = Terms(rule=Rule(scope=rule.scope, unit=rule.unit, minimum=rule.minimum),
                            rate=Decimal(category.rate),
                            over_rate=None if category.over_rate is None else Decimal(category.over_rate))
    return terms, Allowance(minutes=plan.allowance_minutes, requests=plan.allowance.requests)
