"""What the user types into a form field, as the form engine stores it (and back).

Dates are typed the Dutch way (`23-11-2026`, `23/11/26`, `23-11` for this year) and stored as
ISO text; times as `uu:mm`. Text that does not parse is kept as typed, so the engine's
constraint shows a message at the field and nothing the user typed is lost.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

_DUTCH_DATE = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})\s*$")
_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.]?(\d{2}))?\s*$")
_DAY_MONTH = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})\s*$")


def parse_date(text: str) -> str | None:
    """'23-11-2026', '23/11/26', '2026-11-23' -> ISO; None when empty; raw text when invalid."""
    t = text.strip()
    if not t:
        return None
    dm = _DAY_MONTH.match(t)
    if dm:  # "23-11": this year
        t = f"{dm.group(1)}-{dm.group(2)}-{date.today().year}"
    m = _DUTCH_DATE.match(t)
    if m:
        d, mth, y = (int(x) for x in m.groups())
        if y < 100:
            y += 2000
        try:
            return date(y, mth, d).isoformat()
        except ValueError:
            return t
    try:
        return date.fromisoformat(t).isoformat()
    except ValueError:
        return t


def show_date(value: Any) -> str:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d-%m-%Y")
        except ValueError:
            return value
    return ""


def parse_time(text: str) -> str | None:
    t = text.strip()
    if not t:
        return None
    m = _TIME.match(t)
    if m:
        h, mi = int(m.group(1)), int(m.group(2) or 0)
        if 0 <= h <= 23 and 0 <= mi <= 59:
            return f"{h:02d}:{mi:02d}"
    return t


def parse_integer(text: str) -> Any:
    t = text.strip().replace(".", "")
    if not t:
        return None
    try:
        return int(t)
    except ValueError:
        return text.strip()


def parse_decimal(text: str) -> str | None:
    """'12,5' -> '12.5' (the engine checks it is a number)."""
    return text.strip().replace(",", ".") or None


def show_decimal(value: Any) -> str:
    return "" if value is None else str(value).replace(".", ",")


def show_text(value: Any) -> str:
    return "" if value is None else str(value)
