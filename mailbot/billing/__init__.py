"""Billing: turns one period's time entries into billed lines by a plan's rounding rules.

Pure and exact on purpose (Decimal money, integer minutes, no database and no configuration): the
monthly statement a client receives must be reproducible to the cent from the journal alone, so the
engine takes plain frozen dataclasses and returns plain frozen dataclasses.
"""
from mailbot.billing.periods import (
    first_working_day, next_period, period_bounds, period_of, previous_period, statement_due,
)
from mailbot.billing.rounding import (
    FREE, Allowance, CategoryTotal, Entry, Line, Rule, Scope, Terms, bill, charge, round_entry, round_up,
    top_up, total_amount, totals,
)

__all__ = [
    "FREE", "Allowance", "CategoryTotal", "Entry", "Line", "Rule", "Scope", "Terms", "bill", "charge",
    "round_entry", "round_up", "top_up", "total_amount", "totals",
    "first_working_day", "next_period", "period_bounds", "period_of", "previous_period", "statement_due",
]
