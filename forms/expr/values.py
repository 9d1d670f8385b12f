"""Value semantics of the expression language: empty answers, numbers, dates, three-valued
truth, XPath-style comparison and arithmetic (dates plus days)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

Resolver = Callable[[str], Any]

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")


def _empty(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, list) and not v)


def _num(v: Any) -> Decimal | None:
    if isinstance(v, bool):
        return Decimal(int(v))
    if isinstance(v, Decimal):
        return v
    if isinstance(v, int | float):
        return Decimal(str(v))
    if isinstance(v, str) and v.strip():
        try:
            return Decimal(v.strip().replace(",", "."))
        except InvalidOperation:
            return None
    return None


def _as_date(v: Any) -> date | None:
    if isinstance(v, date):
        return v
    if isinstance(v, str) and _DATE_RE.match(v):
        try:
            return date.fromisoformat(v)
        except ValueError:
            return None
    return None


def _truth(v: Any) -> bool | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, Decimal):
        return v != 0
    if isinstance(v, list):
        return bool(v)
    return v != ""


def _compare(op: str, a: Any, b: Any) -> bool | None:
    if isinstance(a, list) or isinstance(b, list):
        # XPath node-set semantics: true if any member satisfies it.
        left = a if isinstance(a, list) else [a]
        right = b if isinstance(b, list) else [b]
        results = [_compare(op, x, y) for x in left for y in right]
        if any(r is True for r in results):
            return True
        return False if results else (op == "!=")
    if op in ("=", "!="):
        if _empty(a) or _empty(b):
            eq = _empty(a) and _empty(b)
        else:
            eq = _equal(a, b)
        return eq if op == "=" else not eq
    if _empty(a) or _empty(b):
        return None
    pair = _ordered_pair(a, b)
    if pair is None:
        return None
    x, y = pair
    if op == "<":
        return x < y
    if op == "<=":
        return x <= y
    if op == ">":
        return x > y
    return x >= y


def _equal(a: Any, b: Any) -> bool:
    pair = _ordered_pair(a, b)
    if pair is not None:
        return pair[0] == pair[1]
    return str(a) == str(b)


def _ordered_pair(a: Any, b: Any):
    da, db = _as_date(a), _as_date(b)
    if da is not None and db is not None:
        return da, db
    if isinstance(a, bool) or isinstance(b, bool):
        ta, tb = _truth(a), _truth(b)
        return (int(bool(ta)), int(bool(tb)))
    na, nb = _num(a), _num(b)
    if na is not None and nb is not None and not (isinstance(a, str) and _TIME_RE.match(a)):
        return na, nb
    if isinstance(a, str) and isinstance(b, str):
        return a, b
    return None


def _arith(op: str, a: Any, b: Any) -> Any:
    da, db = _as_date(a), _as_date(b)
    if da is not None and op in ("+", "-"):
        if db is not None and op == "-":
            return Decimal((da - db).days)
        n = _num(b)
        if n is None:
            return None
        delta = timedelta(days=int(n))
        return da + delta if op == "+" else da - delta
    na, nb = _num(a), _num(b)
    if na is None or nb is None:
        return None
    if op == "+":
        return na + nb
    if op == "-":
        return na - nb
    if op == "*":
        return na * nb
    if nb == 0:
        return None
    if op == "/":
        return na / nb
    return na % nb  # mod


def _to_text(v: Any) -> str:
    if isinstance(v, list):
        return " ".join(str(x) for x in v)
    if isinstance(v, date):
        return v.isoformat()
    return str(v)
