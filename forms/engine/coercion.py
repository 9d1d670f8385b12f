"""Answers as the expression language sees them (typed, invalid reads as empty), the Dutch
type-error message per field type, and computed values back to JSON."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from forms.engine.state import is_empty
from forms.model import FieldDef, FormDefinition

MAX_TEXT = 20_000

_INT_RE = re.compile(r"^-?\d+$")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

MSG_REQUIRED = "Dit veld is verplicht."
MSG_REQUIRED_REPEAT = "Voeg minstens één regel toe."
MSG_CONSTRAINT = "Deze waarde is niet toegestaan."
MSG_INTEGER = "Vul een geheel getal in."
MSG_DECIMAL = "Vul een getal in."
MSG_DATE = "Vul een geldige datum in."
MSG_TIME = "Vul een tijd in als uu:mm (bijvoorbeeld 09:30)."
MSG_CHOICE = "Kies een waarde uit de lijst."
MSG_TEXT = "Vul tekst in."
MSG_TOO_LONG = f"De tekst is te lang (maximaal {MAX_TEXT} tekens)."
MSG_REPEAT = "Ongeldige regels."


def _typed(fd: FieldDef, value: Any) -> Any:
    """Value as the expression language sees it; invalid values read as empty (None)."""
    if is_empty(value):
        return [] if fd.type == "select_multiple" else None
    t = fd.type
    try:
        if t == "integer":
            if isinstance(value, bool):
                return None
            if isinstance(value, int):
                return Decimal(value)
            if isinstance(value, str) and _INT_RE.match(value.strip()):
                return Decimal(int(value.strip()))
            return None
        if t == "decimal":
            if isinstance(value, bool):
                return None
            if isinstance(value, int | float):
                return Decimal(str(value))
            if isinstance(value, str):
                return Decimal(value.strip().replace(",", "."))
            return None
        if t == "date":
            if isinstance(value, date):
                return value
            return date.fromisoformat(str(value)) if isinstance(value, str) else None
        if t == "select_multiple":
            if isinstance(value, list):
                return [str(v) for v in value if isinstance(v, str | int)]
            if isinstance(value, str):
                return value.split()
            return []
        if t == "time":
            return value if isinstance(value, str) and _TIME_RE.match(value) else None
        if isinstance(value, str | int | float | Decimal):
            return value if isinstance(value, str) else str(value)
        return None
    except (InvalidOperation, ValueError, TypeError):
        return None


def _type_error(form: FormDefinition, fd: FieldDef, value: Any) -> str | None:
    t = fd.type
    if t in ("text", "multiline"):
        if not isinstance(value, str):
            return MSG_TEXT
        return MSG_TOO_LONG if len(value) > MAX_TEXT else None
    if t == "integer":
        if isinstance(value, bool):
            return MSG_INTEGER
        if isinstance(value, int):
            return None if abs(value) < 10**15 else MSG_INTEGER
        if isinstance(value, str) and _INT_RE.match(value.strip()) and len(value.strip()) < 16:
            return None
        return MSG_INTEGER
    if t == "decimal":
        if isinstance(value, bool):
            return MSG_DECIMAL
        if isinstance(value, int | float):
            return None if value == value and abs(value) < 1e15 else MSG_DECIMAL
        if isinstance(value, str):
            try:
                d = Decimal(value.strip().replace(",", "."))
            except InvalidOperation:
                return MSG_DECIMAL
            return None if d.is_finite() and abs(d) < Decimal(10) ** 15 else MSG_DECIMAL
        return MSG_DECIMAL
    if t == "date":
        if not isinstance(value, str):
            return MSG_DATE
        try:
            date.fromisoformat(value)
        except ValueError:
            return MSG_DATE
        return None if len(value) == 10 else MSG_DATE
    if t == "time":
        return None if isinstance(value, str) and _TIME_RE.match(value) else MSG_TIME
    if t in ("select_one", "rating"):
        allowed = {c.value for c in form.choices.get(fd.list_name or "", ())}
        return None if isinstance(value, str) and value in allowed else MSG_CHOICE
    if t == "select_multiple":
        allowed = {c.value for c in form.choices.get(fd.list_name or "", ())}
        if not isinstance(value, list) or not all(
            isinstance(v, str) and v in allowed for v in value
        ):
            return MSG_CHOICE
        return None
    return None


def _json_value(v: Any) -> Any:
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, Decimal):
        if not v.is_finite():
            return None
        if v == v.to_integral_value():
            return int(v)
        return str(v.normalize())
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list):
        return [_json_value(x) for x in v]
    return v
