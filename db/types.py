"""Column types shared by every table.

Money is stored as integer cents so sums in SQL stay exact (ARCHITECTURE.md: "Money is
Decimal (or integer cents), never float"); timestamps are stored as ISO-8601 UTC text so they
come back timezone-aware and sort correctly as text.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")


def to_cents(value: Decimal) -> int:
    """Decimal euros -> integer cents (half-up, as Dutch bookkeeping rounds)."""
    return int((Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def from_cents(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(CENT)


class Money(TypeDecorator[Decimal]):
    """Decimal euros in Python, integer cents in the database."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("Money must be Decimal, never float")
        return to_cents(Decimal(value))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return from_cents(int(value))


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes, stored as ISO text ('2026-11-23T07:30:00.123456+00:00')."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError("expected datetime")
        if value.tzinfo is None:
            raise ValueError("naive datetime: timestamps must be timezone-aware UTC")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return datetime.fromisoformat(value).astimezone(UTC)


class JSONText(TypeDecorator[Any]):
    """JSON stored as text with sorted keys, so equal content gives equal bytes (hashing, sync)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        return json.loads(value)


def utcnow() -> datetime:
    return datetime.now(UTC)
