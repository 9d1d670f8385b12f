"""Evaluate answers against a form definition: calculations, relevance, validation.

Answers are plain JSON-able dicts:

* a field outside any repeat: ``answers[name]`` (groups do not nest the data);
* a repeat: ``answers[repeat_name] = [ {child_name: value, ...}, ... ]``;
* text/multiline/time/select_one/rating: str ("HH:MM" for time); integer: int;
  decimal: str or number; date: ISO "YYYY-MM-DD"; select_multiple: list[str].

Paths name one answer: ``"t1_signal"`` or ``"actions[0].action_due_date"``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from forms.model import FieldDef, FormDefinition

__all__ = [
    "FormState",
    "Issue",
    "SectionProgress",
    "evaluate",
    "validate",
    "finalize",
    "is_empty",
    "path_of",
    "display_value",
]

MAX_TEXT = 20_000

_INT_RE = re.compile(r"^-?\d+$")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

MSG_REQUIRED = "Dit veld is verplicht."
MSG_REQUIRED_REPEAT = "Voeg minstens één regel toe."
MSG_CONSTRAINT = "Deze waarde is niet toegestaan."
MSG_INTEGER = "Vul een geheel getal in."
MSG_DECIMAL = "Vul een getal in."
MSG_DATE = "Vul een geldige datum in."
MSG_TIME = "Vul een tijd in als uu:mm (bijvoorbeeld 09:30)."
MSG_CHOICE = "Kies een waarde uit de lijst."
MSG_TEXT = "Vul tekst in."
MSG_TOO_LONG = f"De tekst is te lang (maximaal {MAX_TEXT} tekens)."
MSG_REPEAT = "Ongeldige regels."


@dataclass(frozen=True)
class Issue:
    """One validation message (Dutch) for one answer path."""

    path: str
    name: str
    message: str
    row: int | None = None
    repeat: str | None = None
    kind: str = "invalid"  # "required" or "invalid"


@dataclass(frozen=True)
class SectionProgress:
    name: str
    label: str
    filled: int
    total: int  # relevant input fields (repeat rows counted as their fields)
    required_missing: int
    issues: int

    @property
    def complete(self) -> bool:
        return self.issues == 0 and self.required_missing == 0 and self.filled > 0

    @property
    def started(self) -> bool:
        return self.filled > 0


@dataclass(frozen=True)
class FormState:
    """Result of `evaluate`: computed values, relevance per path, validation issues."""

    form: FormDefinition = field(repr=False)
    calculated: dict[str, Any]  # path -> JSON-able computed value
    relevance: dict[str, bool]  # path -> relevant (every row incl. containers)
    issues: tuple[Issue, ...]
    filled: frozenset[str]  # paths of non-empty input answers
    required: frozenset[str] = frozenset()  # relevant paths that are required right now

    def is_relevant(self, path: str) -> bool:
        return self.relevance.get(path, True)

    def issue_for(self, path: str) -> Issue | None:
        for issue in self.issues:
            if issue.path == path:
                return issue
        return None

    def messages(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for issue in self.issues:
            out.setdefault(issue.path, issue.message)
        return out

    @property
    def ok(self) -> bool:
        return not self.issues

    def section_progress(self) -> list[SectionProgress]:
        out = []
        for sec in self.form.survey:
            if sec.type != "group":
                continue
            names = {f.name for f in _descendants(sec)}
            filled = total = missing = 0
            for path, rel in self.relevance.items():
                name = _name_of(path)
                if name not in names or not rel:
                    continue
                fd = self.form.field(name)
                if not fd.is_input:
                    continue
                total += 1
                if path in self.filled:
                    filled += 1
            issues = [i for i in self.issues if i.name in names or i.repeat in names]
            missing = sum(1 for i in issues if i.kind == "required")
            out.append(SectionProgress(sec.name, sec.label, filled, total, missing, len(issues)))
        return out


def _descendants(fd: FieldDef):
    for c in fd.children:
        yield c
        yield from _descendants(c)


def _name_of(path: str) -> str:
    return path.rsplit(".", 1)[-1].split("[", 1)[0]


def path_of(name: str, repeat: str | None = None, row: int | None = None) -> str:
    return f"{repeat}[{row}].{name}" if repeat is not None and row is not None else name


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, list | tuple | dict):
        return len(value) == 0
    return False


# ------------------------------------------------------------------------------- coercion


def _typed(fd: FieldDef, value: Any) -> Any:
    """Value as the expression language sees it; invalid values read as empty (None)."""
    if is_empty(value):
        return [] if fd.type == "select_multiple" else None
    t = fd.type
    try:
        if t == "integer":
            if isinstance(value, bool):
                return None
            if isinstance(value, int):
                return Decimal(value)
            if isinstance(value, str) and _INT_RE.match(value.strip()):
                return Decimal(int(value.strip()))
            return None
        if t == "decimal":
            if isinstance(value, bool):
                return None
            if isinstance(value, int | float):
                return Decimal(str(value))
            if isinstance(value, str):
                return Decimal(value.strip().replace(",", "."))
            return None
        if t == "date":
            if isinstance(value, date):
                return value
            return date.fromisoformat(str(value)) if isinstance(value, str) else None
        if t == "select_multiple":
            if isinstance(value, list):
                return [str(v) for v in value if isinstance(v, str | int)]
            if isinstance(value, str):
                return value.split()
            return []
        if t == "time":
            return value if isinstance(value, str) and _TIME_RE.match(value) else None
        if isinstance(value, str | int | float | Decimal):
            return value if isinstance(value, str) else str(value)
        return None
    except (InvalidOperation, ValueError, TypeError):
        return None


def _type_error(form: FormDefinition, fd: FieldDef, value: Any) -> str | None:
    t = fd.type
    if t in ("text", "multiline"):
        if not isinstance(value, str):
            return MSG_TEXT
        return MSG_TOO_LONG if len(value) > MAX_TEXT else None
    if t == "integer":
        if isinstance(value, bool):
            return MSG_INTEGER
        if isinstance(value, int):
            return None if abs(value) < 10**15 else MSG_INTEGER
        if isinstance(value, str) and _INT_RE.match(value.strip()) and len(value.strip()) < 16:
            return None
        return MSG_INTEGER
    if t == "decimal":
        if isinstance(value, bool):
            return MSG_DECIMAL
        if isinstance(value, int | float):
            return None if value == value and abs(value) < 1e15 else MSG_DECIMAL
        if isinstance(value, str):
            try:
                d = Decimal(value.strip().replace(",", "."))
            except InvalidOperation:
                return MSG_DECIMAL
            return None if d.is_finite() and abs(d) < Decimal(10) ** 15 else MSG_DECIMAL
        return MSG_DECIMAL
    if t == "date":
        if not isinstance(value, str):
            return MSG_DATE
        try:
            date.fromisoformat(value)
        except ValueError:
            return MSG_DATE
        return None if len(value) == 10 else MSG_DATE
    if t == "time":
        return None if isinstance(value, str) and _TIME_RE.match(value) else MSG_TIME
    if t in ("select_one", "rating"):
        allowed = {c.value for c in form.choices.get(fd.list_name or "", ())}
        return None if isinstance(value, str) and value in allowed else MSG_CHOICE
    if t == "select_multiple":
        allowed = {c.value for c in form.choices.get(fd.list_name or "", ())}
        if not isinstance(value, list) or not all(
            isinstance(v, str) and v in allowed for v in value
        ):
            return MSG_CHOICE
        return None
    return None


def _json_value(v: Any) -> Any:
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, Decimal):
        if not v.is_finite():
            return None
        if v == v.to_integral_value():
            return int(v)
        return str(v.normalize())
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list):
        return [_json_value(x) for x in v]
    return v


# ----------------------------------------------------------------------------- evaluation


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


# ------------------------------------------------------------------------------- display


def display_value(form: FormDefinition, fd: FieldDef, value: Any) -> str:
    """Dutch text for an answer, as shown in read-only views and the report."""
    from common import formatting  # the ground floor (tests/test_layering.py)

    if is_empty(value):
        return ""
    t = fd.type
    if t in ("select_one", "rating"):
        return form.choice_label(fd.list_name, value)
    if t == "select_multiple":
        vals = value if isinstance(value, list) else str(value).split()
        return ", ".join(form.choice_label(fd.list_name, v) for v in vals)
    if t == "date":
        try:
            return formatting.long_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if t == "decimal":
        try:
            d = Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            return str(value)
        exponent = d.normalize().as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
        return formatting.number(d, min(places, 4))
    if t in ("integer", "calculate"):
        if isinstance(value, bool):
            return "ja" if value else "nee"
        try:
            return (
                formatting.number(Decimal(str(value)), 0)
                if _INT_RE.match(str(value))
                else str(value)
            )
        except InvalidOperation:
            return str(value)
    return str(value)
