"""Plans as they were: every version of a plan's terms is kept, and each time entry names the one in force.

Invariant 7: a statement applies the rules of the plan as it was when the work was done, so editing a plan
in the configuration never changes what earlier work costs. The terms are stored as JSON (amounts as
decimal strings) under a hash of their content (mailbot.store.plans); a time entry records that hash when it is written.
"""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from mailbot.billing.rounding import Allowance, Rule, Terms
from mailbot.config.terms import Plan

NO_PLAN = Plan(name="(no plan)", reaction_time="1d")  # unbilled: every category at rate 0, minutes as entered


def snapshot(plan: Plan) -> tuple[str, str]:
    """(hash, JSON) of the plan's billing terms."""
    doc = plan.model_dump(mode="json", exclude={"reaction_time", "title", "objection_counting", "objection_late",
                                                "calendar", "targets", "priorities", "emergencies",
                                                "paid_analysis_at_breach"})  # what it bills, not what it promises
    for category in doc["categories"].values():  # a plan written before per-unit prices keeps its hash
        if category["per_unit"] is None:
            del category["per_unit"]
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32], text


def from_snapshot(text: str) -> Plan:
    """The plan a snapshot's JSON describes (its reaction time is not part of the billing terms)."""
    return Plan.model_validate({**json.loads(text), "reaction_time": "1d"})


def terms_of(plan: Plan) -> tuple[dict[str, Terms], Allowance]:
    """The rounding engine's view of a plan."""
    terms = {}
    for name, category in plan.categories.items():
        rule = plan.rule(name)
        terms[name] = Terms(rule=Rule(scope=rule.scope, unit=rule.unit, minimum=rule.minimum),
                            rate=Decimal(category.rate if category.per_unit is None else category.per_unit),
                            over_rate=None if category.over_rate is None else Decimal(category.over_rate),
                            per=60 if category.per_unit is None else rule.unit)
    return terms, Allowance(minutes=plan.allowance_minutes, requests=plan.allowance.requests)
