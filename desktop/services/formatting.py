"""Dutch display formats: they live on the ground floor (`common.formatting`, also used by
`forms`); this name stays so existing imports keep working."""

from common.formatting import (
    LOCALE,
    NBSP,
    address_place_line,
    long_date,
    money,
    number,
    percent,
    postcode,
    ratio,
    short_date,
    timestamp,
)

__all__ = [
    "LOCALE",
    "NBSP",
    "address_place_line",
    "long_date",
    "money",
    "number",
    "percent",
    "postcode",
    "ratio",
    "short_date",
    "timestamp",
]
