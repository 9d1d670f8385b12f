"""Dutch identifiers (DOMAIN.md §10): KvK number, KvK branch number, AGB code, postcode.

Each function returns the normalised value or raises `ValidationError(field, Dutch message)`
that names the field, so the UI can show it next to that field. Ground floor: usable by
`forms`, `db` and `desktop` alike.
"""

from __future__ import annotations

import re

from common.errors import ValidationError

_KVK = re.compile(r"^[0-9]{8}$")
_KVK_BRANCH = re.compile(r"^[0-9]{12}$")
_AGB = re.compile(r"^[0-9]{8}$")
_POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")


def _clean(value: object) -> str:
    return "" if value is None else str(value).strip()


def _digits(value: object, field: str, pattern: re.Pattern[str], rule: str, drop: str = " ") -> str:
    """`value` without the characters in `drop`, when it matches `pattern`; otherwise a
    ValidationError on `field` that states the rule and quotes what was given."""
    v = _clean(value)
    for ch in drop:
        v = v.replace(ch, "")
    if not pattern.match(v):
        raise ValidationError(field, f"{rule}; '{_clean(value)}' is ongeldig.")
    return v


def kvk_number(value: object, field: str = "kvk_number", label: str = "KvK-nummer") -> str:
    """8 digits, kept as text (leading zeros are significant; no checksum: P-KVK)."""
    return _digits(
        value,
        field,
        _KVK,
        f"{label} moet uit precies 8 cijfers bestaan (bijvoorbeeld 41234567)",
        drop=" .",
    )


def kvk_branch_number(value: object, field: str = "kvk_branch_number") -> str:
    return _digits(
        value,
        field,
        _KVK_BRANCH,
        "KvK-vestigingsnummer moet uit precies 12 cijfers bestaan (bijvoorbeeld 000012345678)",
    )


def agb_code(value: object, field: str = "agb_code") -> str:
    """8 digits; no published check digit, prefixes are not validated (DOMAIN.md §10)."""
    return _digits(value, field, _AGB, "AGB-code moet uit precies 8 cijfers bestaan")


def postcode(value: object, field: str = "postcode") -> str:
    """Dutch postcode, normalised to `1234AB` for storage (display adds the space)."""
    v = _clean(value).replace(" ", "").upper()
    if not _POSTCODE.match(v) or v[4:] in {"SA", "SD", "SS"}:
        raise ValidationError(
            field, f"Postcode moet de vorm 1234 AB hebben; '{_clean(value)}' is ongeldig."
        )
    return v
