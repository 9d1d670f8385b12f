"""A warning when a letter is dated on a weekend day or a public holiday (issue 15).

The holidays are those of the Algemene termijnenwet (art. 3): Nieuwjaarsdag, tweede Paas- en
Pinksterdag, beide Kerstdagen, Hemelvaartsdag, Koningsdag and 5 mei (Bevrijdingsdag); Eerste
Paas- en Pinksterdag fall on a Sunday anyway. A warning, not a refusal: the sender decides.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

_TZ = ZoneInfo("Europe/Amsterdam")


def today_nl() -> date:
    """Today in the Netherlands (the date a letter carries)."""
    return datetime.now(_TZ).date()


def day_label(d: date | None) -> str:
    from desktop.services.formatting import long_date

    return long_date(d)


_WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def easter(year: int) -> date:
    """Easter Sunday (Gregorian; anonymous algorithm of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month = (h + leap - 7 * m + 114) // 31
    day = (h + leap - 7 * m + 114) % 31 + 1
    return date(year, month, day)


@lru_cache(maxsize=16)
def holidays(year: int) -> dict[date, str]:
    e = easter(year)
    kings = date(year, 4, 27)
    if kings.weekday() == 6:  # on a Sunday, Koningsdag is the Saturday before
        kings = date(year, 4, 26)
    return {
        date(year, 1, 1): "Nieuwjaarsdag",
        e: "Eerste Paasdag",
        e + timedelta(days=1): "Tweede Paasdag",
        kings: "Koningsdag",
        date(year, 5, 5): "Bevrijdingsdag",
        e + timedelta(days=39): "Hemelvaartsdag",
        e + timedelta(days=49): "Eerste Pinksterdag",
        e + timedelta(days=50): "Tweede Pinksterdag",
        date(year, 12, 25): "Eerste Kerstdag",
        date(year, 12, 26): "Tweede Kerstdag",
    }


def date_warning(day: date) -> str | None:
    """Dutch warning when `day` is a Saturday, Sunday or public holiday; else None."""
    from desktop.services.formatting import long_date

    name = holidays(day.year).get(day)
    if name:
        return (
            f"Let op: de briefdatum {long_date(day)} valt op {name}, een feestdag. Kies zo "
            "nodig een werkdag."
        )
    if day.weekday() >= 5:
        return (
            f"Let op: de briefdatum {long_date(day)} valt op een {_WEEKDAYS[day.weekday()]}. "
            "Kies zo nodig een werkdag."
        )
    return None
