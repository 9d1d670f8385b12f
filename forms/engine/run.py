"""One evaluation pass over the answers: calculations, relevance, required and validation;
`evaluate`, `validate` and `finalize` are the public entry points."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from forms.engine.coercion import (
    MSG_CONSTRAINT,
    MSG_REPEAT,
    MSG_REQUIRED,
    MSG_REQUIRED_REPEAT,
    _json_value,
    _type_error,
    _typed,
)
from forms.engine.state import FormState, Issue, is_empty, path_of
from forms.model import FieldDef, FormDefinition


class _Run:
    """One evaluation pass over the answers."""

    def __init__(self, form: FormDefinition, answers: Mapping[str, Any], today: date):
        self.form = form
        self.answers = answers if isinstance(answers, Mapping) else {}
        self.today = today
        self.calc: dict[str, Any] = {}  # path -> typed value
        self.relevance: dict[str, bool] = {}
        self.issues: list[Issue] = []
        self.filled: set[str] = set()
        self.required: set[str] = set()

    # -- data access ---------------------------------------------------------------------
    def rows(self, repeat: str) -> list[Mapping[str, Any]]:
        raw = self.answers.get(repeat)
        if not isinstance(raw, list):
            return []
        return [r if isinstance(r, Mapping) else {} for r in raw]

    def raw(self, fd: FieldDef, row: Mapping[str, Any] | None) -> Any:
        if fd.repeat is not None:
            return row.get(fd.name) if row is not None else None
        return self.answers.get(fd.name)

    def resolver(self, scope_repeat: str | None, scope_row: int | None):
        form = self.form

        def resolve(name: str) -> Any:
            if not form.has_field(name):
                return None
            fd = form.field(name)
            if fd.type == "repeat":
                return [Decimal(1)] * len(self.rows(name))
            if fd.repeat is None:
                if fd.type == "calculate":
                    return self.calc.get(name)
                return _typed(fd, self.answers.get(name))
            if fd.repeat == scope_repeat and scope_row is not None:
                if fd.type == "calculate":
                    return self.calc.get(path_of(name, fd.repeat, scope_row))
                rows = self.rows(fd.repeat)
                row = rows[scope_row] if scope_row < len(rows) else {}
                return _typed(fd, row.get(name))
            # a field inside another repeat: the list of its values over all rows
            out = []
            for i, row in enumerate(self.rows(fd.repeat)):
                if fd.type == "calculate":
                    v = self.calc.get(path_of(name, fd.repeat, i))
                else:
                    v = _typed(fd, row.get(name))
                if isinstance(v, list):
                    out.extend(v)
                elif v is not None:
                    out.append(v)
            return out

        return resolve

    # -- passes --------------------------------------------------------------------------
    def calculate(self) -> None:
        # two passes so a calculation may refer to a later one
        for _ in range(2):
            self._calc_rows(self.form.survey, None, None)

    def _calc_rows(self, rows, repeat: str | None, idx: int | None) -> None:
        for fd in rows:
            if fd.type == "repeat":
                for i in range(len(self.rows(fd.name))):
                    self._calc_rows(fd.children, fd.name, i)
            elif fd.children:
                self._calc_rows(fd.children, repeat, idx)
            elif fd.calculation is not None:
                try:
                    value = fd.calculation.evaluate(self.resolver(repeat, idx), None, self.today)
                except (ArithmeticError, ValueError, OverflowError):
                    value = None
                self.calc[path_of(fd.name, repeat, idx)] = value

    def check(self) -> None:
        self._check_rows(self.form.survey, None, None, True)

    def _truth(self, expr, repeat, idx, current=None) -> bool | None:
        try:
            return expr.truth(self.resolver(repeat, idx), current, self.today)
        except (ArithmeticError, ValueError, OverflowError):
            return None

    def _check_rows(self, rows, repeat: str | None, idx: int | None, parent_rel: bool) -> None:
        row_data = None
        if repeat is not None and idx is not None:
            rr = self.rows(repeat)
            row_data = rr[idx] if idx < len(rr) else {}
        for fd in rows:
            path = path_of(fd.name, repeat, idx)
            rel = parent_rel
            if rel and fd.relevant is not None:
                rel = self._truth(fd.relevant, repeat, idx) is True
            self.relevance[path] = rel
            if fd.type == "repeat":
                raw = self.answers.get(fd.name)
                n = len(raw) if isinstance(raw, list) else 0
                req = (
                    rel and fd.required is not None and self._truth(fd.required, None, None) is True
                )
                if req:
                    self.required.add(fd.name)
                if rel:
                    if raw is not None and not isinstance(raw, list):
                        self.issues.append(Issue(fd.name, fd.name, MSG_REPEAT))
                    elif n == 0 and req:
                        self.issues.append(
                            Issue(
                                fd.name,
                                fd.name,
                                fd.required_message or MSG_REQUIRED_REPEAT,
                                kind="required",
                            )
                        )
                for i in range(n):
                    self._check_rows(fd.children, fd.name, i, rel)
                continue
            if fd.type == "group":
                self._check_rows(fd.children, repeat, idx, rel)
                continue
            if not fd.is_input or not rel:
                continue
            value = self.raw(fd, row_data)
            req = fd.required is not None and self._truth(fd.required, repeat, idx) is True
            if req:
                self.required.add(path)
            if is_empty(value):
                if req:
                    self.issues.append(
                        Issue(
                            path,
                            fd.name,
                            fd.required_message or MSG_REQUIRED,
                            idx,
                            repeat,
                            "required",
                        )
                    )
                continue
            self.filled.add(path)
            msg = _type_error(self.form, fd, value)
            if msg is None and fd.constraint is not None:
                current = _typed(fd, value)
                if self._truth(fd.constraint, repeat, idx, current) is False:
                    msg = fd.constraint_message or MSG_CONSTRAINT
            if msg is not None:
                self.issues.append(Issue(path, fd.name, msg, idx, repeat))


def evaluate(
    form: FormDefinition, answers: Mapping[str, Any] | None, today: date | None = None
) -> FormState:
    """Compute calculations, relevance and validation issues. Never raises on bad answers."""
    run = _Run(form, answers or {}, today or date.today())
    run.calculate()
    run.check()
    return FormState(
        form=form,
        calculated={k: _json_value(v) for k, v in run.calc.items()},
        relevance=run.relevance,
        issues=tuple(run.issues),
        filled=frozenset(run.filled),
        required=frozenset(run.required),
    )


def validate(
    form: FormDefinition, answers: Mapping[str, Any] | None, today: date | None = None
) -> list[Issue]:
    return list(evaluate(form, answers, today).issues)


def finalize(
    form: FormDefinition, answers: Mapping[str, Any], today: date | None = None
) -> dict[str, Any]:
    """The answers as they are kept on completion: calculations stored, answers to
    non-relevant or unknown fields dropped, empty answers left out."""
    state = evaluate(form, answers, today)
    out: dict[str, Any] = {}

    def keep(rows, src: Mapping[str, Any], dst: dict, repeat: str | None, idx: int | None):
        for fd in rows:
            path = path_of(fd.name, repeat, idx)
            if not state.is_relevant(path):
                continue
            if fd.type == "group":
                keep(fd.children, src, dst, repeat, idx)
            elif fd.type == "repeat":
                raw = src.get(fd.name)
                if isinstance(raw, list) and raw:
                    new_rows = []
                    for i, r in enumerate(raw):
                        nr: dict[str, Any] = {}
                        keep(fd.children, r if isinstance(r, Mapping) else {}, nr, fd.name, i)
                        new_rows.append(nr)
                    dst[fd.name] = new_rows
            elif fd.type == "calculate":
                v = state.calculated.get(path)
                if v is not None:
                    dst[fd.name] = v
            elif fd.is_input:
                v = src.get(fd.name)
                if not is_empty(v):
                    dst[fd.name] = v

    keep(form.survey, answers or {}, out, None, None)
    return out
