"""Amounts as typed (Dutch notation) to Decimal euros, with every problem at its field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from db.errors import ValidationError, ValidationErrors
from desktop.services.formatting import money
from desktop.services.validation import amount as parse_amount
from desktop.services.validation import collected, date_or_error

__all__ = [
    "AMOUNT_LABELS",
    "check_sum",
    "parse_amount",
    "parse_amounts",
    "received_and_letter",
    "validate_amounts",
]

AMOUNT_LABELS = {
    "initial_reserved_amount": "Initieel gereserveerd budget",
    "requested_total": "Aangevraagd totaal",
    "requested_staff_amount": "Deel extra zorgpersoneel",
    "requested_other_amount": "Deel overige investeringen",
    "approved_total": "Toegekend totaal",
    "approved_staff_amount": "Toegekend deel zorgpersoneel",
    "approved_other_amount": "Toegekend deel overige investeringen",
}


def parse_amounts(
    values: dict[str, Any],
    names: tuple[str, ...],
    errors: list[ValidationError],
    required: bool = True,
) -> dict[str, Decimal | None]:
    out: dict[str, Decimal | None] = {}
    for name in names:
        raw = values.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                errors.append(ValidationError(name, f"{AMOUNT_LABELS[name]} is verplicht."))
            out[name] = None
            continue
        out[name] = collected(parse_amount, raw, name, AMOUNT_LABELS[name], errors)
    return out


def check_sum(
    total: Decimal | None,
    staff: Decimal | None,
    other: Decimal | None,
    total_field: str,
    errors: list[ValidationError],
) -> None:
    if total is None or staff is None or other is None:
        return
    if staff + other != total:
        errors.append(
            ValidationError(
                total_field,
                f"Zorgpersoneel ({money(staff)}) + overige investeringen ({money(other)}) "
                f"= {money(staff + other)}, maar het totaal is {money(total)}. Het verschil is "
                f"{money(abs(total - staff - other))}.",
            )
        )


def validate_amounts(values: dict[str, Any]) -> dict[str, Decimal]:
    """Validate the requested amounts as typed (for live feedback in the editor)."""
    errors: list[ValidationError] = []
    names = (
        "initial_reserved_amount",
        "requested_total",
        "requested_staff_amount",
        "requested_other_amount",
    )
    parsed = parse_amounts(values, names, errors)
    check_sum(
        parsed["requested_total"],
        parsed["requested_staff_amount"],
        parsed["requested_other_amount"],
        "requested_total",
        errors,
    )
    if (
        parsed["requested_total"] is not None
        and parsed["requested_total"] == 0
        and not any(e.field == "requested_total" for e in errors)
    ):
        errors.append(
            ValidationError("requested_total", "Aangevraagd totaal moet groter zijn dan € 0,00.")
        )
    if errors:
        raise ValidationErrors(errors)
    return {k: v for k, v in parsed.items() if v is not None}


def received_and_letter(
    received_date: object, letter_date: object, errors: list[ValidationError]
) -> tuple[date | None, date | None]:
    """The received date and the provider's letter date (optional, never after it), each
    problem added to `errors` at its field."""
    received = date_or_error(received_date, "received_date", "Ontvangstdatum", errors)
    letter = None
    if letter_date not in (None, ""):
        letter = date_or_error(letter_date, "letter_date", "Datum brief aanbieder", errors)
        if letter and received and letter > received:
            errors.append(
                ValidationError(
                    "letter_date", "De brief van de aanbieder kan niet na de ontvangstdatum liggen."
                )
            )
    return received, letter
