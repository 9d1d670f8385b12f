"""What an evaluation yields: the FormState (computed values, relevance, issues), its
Issue and SectionProgress records, and the answer-path helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from forms.model import FieldDef, FormDefinition


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
