"""Safe expression language for form definitions (XLSForm/XPath flavoured). No `eval`.

parser.py tokenizes and parses into a tuple tree, values.py holds the value semantics,
evaluator.py walks the tree; this module is the public API (Expression, parse, references).

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

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from forms.expr.evaluator import _Evaluator
from forms.expr.parser import ExpressionError, _Parser, collect_refs
from forms.expr.values import Resolver, _truth
from forms.expr.values import _num as _num  # kept importable: tests/forms/test_forms_expr.py

__all__ = [
    "Expression",
    "ExpressionError",
    "parse",
    "references",
]


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
    collect_refs(tree, refs)
    expr = Expression(src, tree, frozenset(refs))
    _CACHE[src] = expr
    return expr


def references(text: str) -> frozenset[str]:
    return parse(text).refs
