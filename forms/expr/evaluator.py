"""Evaluate a parsed expression tree against a resolver of `${name}` references."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from forms.expr.parser import ExpressionError
from forms.expr.values import (
    Resolver,
    _arith,
    _as_date,
    _compare,
    _empty,
    _num,
    _to_text,
    _truth,
)


class _Evaluator:
    __slots__ = ("resolve", "current", "today")

    def __init__(self, resolve: Resolver, current: Any, today: date):
        self.resolve = resolve
        self.current = current
        self.today = today

    def ev(self, node) -> Any:
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "ref":
            return self.resolve(node[1])
        if kind == "dot":
            return self.current
        if kind == "cmp":
            return _compare(node[1], self.ev(node[2]), self.ev(node[3]))
        if kind in ("and", "or"):
            # three-valued and short-circuit: "and" stops at a definite False, "or" at a True
            stop = kind == "or"
            a = _truth(self.ev(node[1]))
            if a is stop:
                return stop
            b = _truth(self.ev(node[2]))
            if b is stop:
                return stop
            return None if (a is None or b is None) else not stop
        if kind == "not":
            v = _truth(self.ev(node[1]))
            return None if v is None else not v
        if kind == "arith":
            return _arith(node[1], self.ev(node[2]), self.ev(node[3]))
        if kind == "neg":
            n = _num(self.ev(node[1]))
            return None if n is None else -n
        if kind == "call":
            return self.call(node[1], node[2])
        raise ExpressionError(f"Onbekende knoop {kind}")  # pragma: no cover

    def call(self, name: str, args) -> Any:
        if name == "today":
            return self.today
        if name == "true":
            return True
        if name == "false":
            return False
        if name == "not":
            v = _truth(self.ev(args[0]))
            return None if v is None else not v
        if name == "if":
            c = _truth(self.ev(args[0]))
            return self.ev(args[1]) if c else self.ev(args[2])
        vals = [self.ev(a) for a in args]
        if name == "selected":
            hay, needle = vals
            if isinstance(hay, list):
                return str(needle) in [str(x) for x in hay]
            if isinstance(hay, str):
                return str(needle) in hay.split()
            return False
        if name in ("count", "count-selected"):
            v = vals[0]
            if isinstance(v, list):
                return Decimal(sum(1 for x in v if not _empty(x)))
            return Decimal(0 if _empty(v) else 1)
        if name == "sum":
            v = vals[0]
            items = v if isinstance(v, list) else [v]
            total = Decimal(0)
            for x in items:
                n = _num(x)
                if n is not None:
                    total += n
            return total
        if name == "string-length":
            v = vals[0]
            return Decimal(0 if _empty(v) else len(str(v)))
        if name == "coalesce":
            return vals[1] if _empty(vals[0]) else vals[0]
        if name == "number":
            return _num(vals[0])
        if name == "int":
            n = _num(vals[0])
            return None if n is None else Decimal(int(n))
        if name == "round":
            n = _num(vals[0])
            places = int(_num(vals[1]) or 0) if len(vals) > 1 else 0
            return None if n is None else round(n, places)
        if name == "date":
            return _as_date(vals[0])
        if name == "concat":
            return "".join("" if _empty(v) else _to_text(v) for v in vals)
        raise ExpressionError(f"Onbekende functie {name}()")  # pragma: no cover
