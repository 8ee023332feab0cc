"""Amounts, durations and dates in the reader's language, for the templates (CLDR, via babel).

A statement formats hundreds of amounts and dates: the CLDR patterns are looked up once per language, not per
amount.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal


@lru_cache(maxsize=16)
def symbols(lang: str) -> tuple[str, str]:
    """The language's decimal and grouping signs (CLDR, via babel)."""
    sample = format_decimal(Decimal("1234.5"), format="#,##0.0", locale=lang)
    return sample[-2], sample[1:-5]  # "1" + group + "234" + decimal + "5"


@lru_cache(maxsize=64)
def _money_pattern(lang: str, currency: str) -> tuple[str, str]:
    """What stands before and after the number in the language's currency format (babel, once)."""
    sample = format_currency(Decimal("1234.56"), currency, locale=lang)
    decimal, group = symbols(lang)
    number = f"1{group}234{decimal}56"
    if number not in sample:  # an unusual pattern: let babel do every amount
        return "", ""
    before, _, after = sample.partition(number)
    return before, after


def formatters(lang: str, currency: str) -> dict:
    """Amounts, durations and dates in the client's language, for the templates. A statement formats
    hundreds of amounts and dates: the CLDR patterns are looked up once, not per amount."""
    decimal, group = symbols(lang)
    before, after = _money_pattern(lang, currency)

    def money(x) -> str:
        value = Decimal(x).quantize(Decimal("0.01"))
        if not (before or after) or value < 0:
            return format_currency(value, currency, locale=lang)
        whole, _, cents = f"{value:,.2f}".partition(".")
        return f"{before}{whole.replace(',', group)}{decimal}{cents}{after}"
    return dict(money=money, hm=_hm, day=lambda iso: _day(lang, iso))


_HM: dict = {}


def _hm(minutes) -> str:
    """Minutes as hours:minutes ("1:05"), the same in every language; a statement writes hundreds of them, mostly
    the same few, so each is made once (a plain dict: templates call a plain function fastest)."""
    text = _HM.get(minutes)
    if text is None:
        text = f"{int(minutes) // 60}:{int(minutes) % 60:02d}"
        if len(_HM) < 10_000:
            _HM[minutes] = text
    return text


@lru_cache(maxsize=4096)
def _day(lang: str, iso: str) -> str:
    return format_date(date.fromisoformat(iso), format="medium", locale=lang)


def local_decimal(amount: str, lang: str) -> str:
    """A decimal string ("12.50") with the language's decimal sign, for spreadsheet programs."""
    return amount.replace(".", symbols(lang)[0])


def local_time(moment: datetime, lang: str, zone: str) -> str:
    """A moment as the reader reads it: in their time zone, in their language's medium date and short time
    ("2026. gada 7. dec. 10:19" in Riga for 08:19 UTC), with the zone's abbreviation so it is never ambiguous."""
    local = moment.astimezone(ZoneInfo(zone))
    return (f"{format_date(local.date(), format='medium', locale=lang)} "
            f"{format_time(local.time(), format='short', locale=lang)} {local.strftime('%Z')}")


def deadline(moment: datetime, lang: str, zone: str) -> str:
    """A deadline as a client reads it: the weekday and full date, the time and the zone, in their language
    ("otrdiena, 2026. gada 1. decembris, 10:30 EET")."""
    local = moment.astimezone(ZoneInfo(zone))
    return (f"{format_date(local.date(), format='full', locale=lang)}, "
            f"{format_time(local.time(), format='short', locale=lang)} {local.strftime('%Z')}")
