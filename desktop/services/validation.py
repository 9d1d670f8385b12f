"""Validation of identifiers, amounts and dates, in one place (DOMAIN.md §10).

Every function returns the normalised value or raises db.errors.ValidationError with a Dutch
message that names the field, so the UI can show it next to that field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar

from common.identifiers import (  # noqa: F401 - re-exported: identifiers live on the ground floor
    agb_code,
    kvk_branch_number,
    kvk_number,
    postcode,
)
from db.errors import ValidationError

T = TypeVar("T")

_AMOUNT = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})*(,[0-9]{1,2})?$|^-?[0-9]+(,[0-9]{1,2})?$")
_AMOUNT_DOT_DECIMAL = re.compile(r"^-?[0-9]+\.[0-9]{1,2}$")


def _clean(value: object) -> str:
    return "" if value is None else str(value).strip()


def required_text(value: object, field: str, label: str, max_length: int | None = None) -> str:
    v = _clean(value)
    if not v:
        raise ValidationError(field, f"{label} is verplicht.")
    if max_length is not None and len(v) > max_length:
        raise ValidationError(field, f"{label} mag hoogstens {max_length} tekens lang zijn.")
    return v


def amount(
    value: object, field: str, label: str = "Bedrag", *, allow_negative: bool = False
) -> Decimal:
    """Parse a euro amount typed the Dutch way (`1.234.567,89`, `1234567,89`, `€ 12,50`).

    A Decimal passes through. Refuses letters, more than two decimals and (by default)
    negative amounts.
    """
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int) and not isinstance(value, bool):
        d = Decimal(value)
    elif isinstance(value, float):
        raise ValidationError(field, f"{label}: intern bedrag als kommagetal is niet toegestaan.")
    else:
        text = _clean(value).replace("€", "").replace("\u00a0", "").replace(" ", "")
        if text.endswith(",-") or text.endswith(",–"):
            text = text[:-2]
        if not text:
            raise ValidationError(field, f"{label} is verplicht.")
        if _AMOUNT.match(text):
            normalised = text.replace(".", "").replace(",", ".")
        elif _AMOUNT_DOT_DECIMAL.match(text):
            normalised = text  # "1234.50" as exported by spreadsheets
        else:
            raise ValidationError(
                field,
                f"{label} '{_clean(value)}' is geen geldig bedrag. "
                "Gebruik cijfers, bijvoorbeeld 1.234.567,89.",
            )
        try:
            d = Decimal(normalised)
        except InvalidOperation as exc:
            raise ValidationError(
                field, f"{label} '{_clean(value)}' is geen geldig bedrag."
            ) from exc
    if not d.is_finite():
        raise ValidationError(field, f"{label} is geen geldig bedrag.")
    if d != d.quantize(Decimal("0.01")):
        raise ValidationError(field, f"{label} mag hoogstens 2 cijfers achter de komma hebben.")
    if d < 0 and not allow_negative:
        raise ValidationError(field, f"{label} mag niet negatief zijn.")
    if abs(d) >= Decimal("10000000000000"):
        raise ValidationError(field, f"{label} is onwaarschijnlijk groot; controleer het bedrag.")
    return d.quantize(Decimal("0.01"))


def positive_int(value: object, field: str, label: str, *, allow_empty: bool = True) -> int | None:
    v = _clean(value)
    if not v:
        if allow_empty:
            return None
        raise ValidationError(field, f"{label} is verplicht.")
    if not v.isdigit():
        raise ValidationError(field, f"{label} moet een heel getal zijn; '{v}' is ongeldig.")
    return int(v)


def iso_date(value: object, field: str, label: str = "Datum") -> date:
    """Accepts a date, `2026-11-23` or `23-11-2026`."""
    if isinstance(value, date):
        return value
    v = _clean(value)
    for parse in (_parse_iso, _parse_dutch):
        d = parse(v)
        if d is not None:
            return d
    raise ValidationError(
        field, f"{label} '{v}' is geen geldige datum. Gebruik bijvoorbeeld 23-11-2026."
    )


def _parse_iso(v: str) -> date | None:
    try:
        return date.fromisoformat(v)
    except ValueError:
        return None


def _parse_dutch(v: str) -> date | None:
    m = re.match(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$", v)
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def year_or_error(value: object, field: str, label: str, errors: list[ValidationError]) -> int:
    """A year (2015-2100) as typed; 0 with its problem appended to `errors`."""
    try:
        year = int(str(value).strip())
        if 2015 <= year <= 2100:
            return year
    except ValueError:
        pass
    errors.append(ValidationError(field, f"{label} '{value}' is geen geldig jaartal."))
    return 0


def collected(
    check: Callable[[object, str, str], T],
    value: object,
    field: str,
    label: str,
    errors: list[ValidationError],
) -> T | None:
    """`check(value, field, label)` (one of the checks above), its problem appended to `errors`
    (then None), so a whole form is checked before anything is refused."""
    try:
        return check(value, field, label)
    except ValidationError as exc:
        errors.append(exc)
        return None


def date_or_error(
    value: object, field: str, label: str, errors: list[ValidationError]
) -> date | None:
    """`iso_date`, collected: its problem appended to `errors` (then None)."""
    return collected(iso_date, value, field, label, errors)


def optional_past_date(
    value: object, field: str, label: str, errors: list[ValidationError], future_message: str
) -> date:
    """A date that may be left empty (then today) and may not lie in the future. Problems are
    appended to `errors` (a whole form is checked before anything is refused)."""
    today = date.today()
    if value in (None, ""):
        return today
    when = date_or_error(value, field, label, errors)
    if when is None:
        return today
    if when > today:
        errors.append(ValidationError(field, future_message))
    return when


@contextmanager
def readable_file(path: Path) -> Iterator[None]:
    """Around reading a file the user chose: a missing or unreadable file becomes
    ValidationError("file") in Dutch instead of an OSError."""
    try:
        yield
    except FileNotFoundError as exc:
        raise ValidationError("file", f"Het bestand {path} bestaat niet.") from exc
    except OSError as exc:
        raise ValidationError(
            "file", f"Het bestand {path} kan niet worden gelezen ({exc.strerror})."
        ) from exc
