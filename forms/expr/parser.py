"""Tokenizer and recursive-descent parser of the form expression language (grammar in
forms/expr/__init__.py). The tree is plain tuples for speed: ("lit", v) ("ref", name) ("dot",)
("call", name, args) ("not", x) ("and", a, b) ("or", a, b) ("cmp", op, a, b)
("arith", op, a, b) ("neg", x)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal


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


def collect_refs(node, out: set[str]) -> None:
    """Add the `${name}` references in a parsed tree to `out`."""
    kind = node[0]
    if kind == "ref":
        out.add(node[1])
    elif kind in ("and", "or"):
        collect_refs(node[1], out)
        collect_refs(node[2], out)
    elif kind in ("cmp", "arith"):
        collect_refs(node[2], out)
        collect_refs(node[3], out)
    elif kind in ("not", "neg"):
        collect_refs(node[1], out)
    elif kind == "call":
        for a in node[2]:
            collect_refs(a, out)
