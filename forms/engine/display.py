"""Dutch text for an answer (read-only views and the visit report)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from forms.engine.coercion import _INT_RE
from forms.engine.state import is_empty
from forms.model import FieldDef, FormDefinition


def display_value(form: FormDefinition, fd: FieldDef, value: Any) -> str:
    """Dutch text for an answer, as shown in read-only views and the report."""
    from common import formatting  # the ground floor (tests/test_layering.py)

    if is_empty(value):
        return ""
    t = fd.type
    if t in ("select_one", "rating"):
        return form.choice_label(fd.list_name, value)
    if t == "select_multiple":
        vals = value if isinstance(value, list) else str(value).split()
        return ", ".join(form.choice_label(fd.list_name, v) for v in vals)
    if t == "date":
        try:
            return formatting.long_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if t == "decimal":
        try:
            d = Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            return str(value)
        exponent = d.normalize().as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
        return formatting.number(d, min(places, 4))
    if t in ("integer", "calculate"):
        if isinstance(value, bool):
            return "ja" if value else "nee"
        try:
            return (
                formatting.number(Decimal(str(value)), 0)
                if _INT_RE.match(str(value))
                else str(value)
            )
        except InvalidOperation:
            return str(value)
    return str(value)
