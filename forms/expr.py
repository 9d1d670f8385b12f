"""Safe expression language for form definitions (XLSForm/XPath flavoured). No `eval`.

Grammar (lowest precedence first)::

    expr     := or
    or       := and ("or" and)*
    and      := not ("and" not)*
    not      := "not" not | compare
    compare  := additive (("=" | "!=" | "<" | "<=" | ">" | ">=") additive)?
    additive := mult (("+" | "-") mult)*
    mult     := unary (("*" | "/" | "div" | "mod") unary)*
    unary    := "-" unary | primary
    primary  := NUMBER | STRING | "${" NAME "}" | "." | NAME "(" args ")" | "(" expr ")"

Values: None (empty answer), str, bool, Decimal, date, list (select_multiple or the values of
a field inside a repeat). Logic is three-valued: an ordering comparison with an empty operand
gives None ("unknown"). A constraint only fails on a definite False; relevance and required
only hold on a definite True.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "Expression",
    "ExpressionError",
    "parse",
    "references",
]


class ExpressionError(ValueError):
    """Syntax error or unknown function in an expression."""


# ---------------------------------------------------------------------------------- tokens

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<ref>\$\{\s*(?P<refname>[A-Za-z_][A-Za-z0-9_]*)\s*\})
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op><=|>=|!=|=|<|>|\+|-|\*|/|\(|\)|,)
  | (?P<dot>\.)
  | (?P<name>[A-Za-z_][A-Za-z0-9_\-]*)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # ref, number, string, op, dot, name, end
    value: str
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m:
            raise ExpressionError(f"Onbekend teken {text[pos]!r} op positie {pos + 1} in {text!r}")
        kind = m.lastgroup or "ws"
        if m.group("ref"):
            toks.append(_Tok("ref", m.group("refname"), pos))
        elif kind != "ws":
            val = m.group(kind)
            if kind == "string":
                val = val[1:-1]
            toks.append(_Tok(kind, val, pos))
        pos = m.end()
    toks.append(_Tok("end", "", pos))
    return toks


# ------------------------------------------------------------------------------------- AST

# Nodes are plain tuples for speed: ("lit", v) ("ref", name) ("dot",) ("call", name, args)
# ("not", x) ("and", a, b) ("or", a, b) ("cmp", op, a, b) ("arith", op, a, b) ("neg", x)

_FUNCTIONS = {
    "selected": 2,
    "count": 1,
    "sum": 1,
    "today": 0,
    "true": 0,
    "false": 0,
    "not": 1,
    "if": 3,
    "string-length": 1,
    "coalesce": 2,
    "number": 1,
    "int": 1,
    "round": 2,
    "count-selected": 1,
    "date": 1,
    "concat": -1,
}


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def accept(self, kind: str, value: str | None = None) -> bool:
        tok = self.peek()
        if tok.kind == kind and (value is None or tok.value == value):
            self.i += 1
            return True
        return False

    def expect(self, kind: str, value: str) -> None:
        if not self.accept(kind, value):
            tok = self.peek()
            raise ExpressionError(f"Verwacht {value!r} op positie {tok.pos + 1} in {self.text!r}")

    def parse(self):
        node = self.or_()
        if self.peek().kind != "end":
            tok = self.peek()
            raise ExpressionError(
                f"Onverwacht {tok.value!r} op positie {tok.pos + 1} in {self.text!r}"
            )
        return node

    def or_(self):
        node = self.and_()
        while self.accept("name", "or"):
            node = ("or", node, self.and_())
        return node

    def and_(self):
        node = self.not_()
        while self.accept("name", "and"):
            node = ("and", node, self.not_())
        return node

    def not_(self):
        tok = self.peek()
        nxt = self.toks[self.i + 1] if self.i + 1 < len(self.toks) else None
        if tok.kind == "name" and tok.value == "not" and not (nxt and nxt.value == "("):
            self.i += 1
            return ("not", self.not_())
        return self.compare()

    def compare(self):
        node = self.additive()
        tok = self.peek()
        if tok.kind == "op" and tok.value in ("=", "!=", "<", "<=", ">", ">="):
            self.i += 1
            node = ("cmp", tok.value, node, self.additive())
            tok = self.peek()
            if tok.kind == "op" and tok.value in ("=", "!=", "<", "<=", ">", ">="):
                raise ExpressionError(
                    f"Gebruik haakjes bij meerdere vergelijkingen in {self.text!r}"
                )
        return node

    def additive(self):
        node = self.mult()
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.value in ("+", "-"):
                self.i += 1
                node = ("arith", tok.value, node, self.mult())
            else:
                return node

    def mult(self):
        node = self.unary()
        while True:
            tok = self.peek()
            if (tok.kind == "op" and tok.value in ("*", "/")) or (
                tok.kind == "name" and tok.value in ("div", "mod")
            ):
                self.i += 1
                op = {"div": "/"}.get(tok.value, tok.value)
                node = ("arith", op, node, self.unary())
            else:
                return node

    def unary(self):
        if self.accept("op", "-"):
            return ("neg", self.unary())
        return self.primary()

    def primary(self):
        tok = self.take()
        if tok.kind == "number":
            return ("lit", Decimal(tok.value))
        if tok.kind == "string":
            return ("lit", tok.value)
        if tok.kind == "ref":
            return ("ref", tok.value)
        if tok.kind == "dot":
            return ("dot",)
        if tok.kind == "op" and tok.value == "(":
            node = self.or_()
            self.expect("op", ")")
            return node
        if tok.kind == "name":
            if not self.accept("op", "("):
                raise ExpressionError(
                    f"Onbekende naam {tok.value!r} in {self.text!r}; gebruik ${{{tok.value}}}"
                )
            name = tok.value
            if name not in _FUNCTIONS:
                raise ExpressionError(f"Onbekende functie {name}() in {self.text!r}")
            args = []
            if not self.accept("op", ")"):
                args.append(self.or_())
                while self.accept("op", ","):
                    args.append(self.or_())
                self.expect("op", ")")
            arity = _FUNCTIONS[name]
            if arity >= 0 and len(args) != arity and not (name == "round" and len(args) == 1):
                raise ExpressionError(
                    f"{name}() verwacht {arity} argument(en), kreeg {len(args)} in {self.text!r}"
                )
            return ("call", name, tuple(args))
        raise ExpressionError(
            f"Onverwacht einde of teken op positie {tok.pos + 1} in {self.text!r}"
        )


# ------------------------------------------------------------------------------ evaluation

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
        if kind == "and":
            a = _truth(self.ev(node[1]))
            if a is False:
                return False
            b = _truth(self.ev(node[2]))
            if b is False:
                return False
            return True if (a and b) else None
        if kind == "or":
            a = _truth(self.ev(node[1]))
            if a is True:
                return True
            b = _truth(self.ev(node[2]))
            if b is True:
                return True
            return False if (a is False and b is False) else None
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


def _to_text(v: Any) -> str:
    if isinstance(v, list):
        return " ".join(str(x) for x in v)
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


# ------------------------------------------------------------------------------ public API


@dataclass(frozen=True)
class Expression:
    """A parsed expression. `refs` are the `${name}` references it contains."""

    source: str
    tree: tuple
    refs: frozenset[str]

    def evaluate(
        self,
        resolve: Resolver | Mapping[str, Any],
        current: Any = None,
        today: date | None = None,
    ) -> Any:
        if isinstance(resolve, Mapping):
            mapping = resolve
            resolve = mapping.get
        return _Evaluator(resolve, current, today or date.today()).ev(self.tree)

    def truth(self, resolve, current: Any = None, today: date | None = None) -> bool | None:
        """Three-valued truth: True, False or None (unknown because of an empty operand)."""
        return _truth(self.evaluate(resolve, current, today))


def _collect_refs(node, out: set[str]) -> None:
    kind = node[0]
    if kind == "ref":
        out.add(node[1])
    elif kind in ("and", "or"):
        _collect_refs(node[1], out)
        _collect_refs(node[2], out)
    elif kind in ("cmp", "arith"):
        _collect_refs(node[2], out)
        _collect_refs(node[3], out)
    elif kind in ("not", "neg"):
        _collect_refs(node[1], out)
    elif kind == "call":
        for a in node[2]:
            _collect_refs(a, out)


_CACHE: dict[str, Expression] = {}


def parse(text: str | bool) -> Expression:
    """Parse an expression (cached). `True`/`False` and "yes"/"no" are accepted as literals."""
    if isinstance(text, bool):
        text = "true()" if text else "false()"
    src = str(text).strip()
    if src.lower() in ("yes", "true"):
        src = "true()"
    elif src.lower() in ("no", "false", ""):
        src = "false()"
    hit = _CACHE.get(src)
    if hit is not None:
        return hit
    tree = _Parser(src).parse()
    refs: set[str] = set()
    _collect_refs(tree, refs)
    expr = Expression(src, tree, frozenset(refs))
    _CACHE[src] = expr
    return expr


def references(text: str) -> frozenset[str]:
    return parse(text).refs
