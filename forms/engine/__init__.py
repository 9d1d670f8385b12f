"""Evaluate answers against a form definition: calculations, relevance, validation.

Answers are plain JSON-able dicts:

* a field outside any repeat: ``answers[name]`` (groups do not nest the data);
* a repeat: ``answers[repeat_name] = [ {child_name: value, ...}, ... ]``;
* text/multiline/time/select_one/rating: str ("HH:MM" for time); integer: int;
  decimal: str or number; date: ISO "YYYY-MM-DD"; select_multiple: list[str].

Paths name one answer: ``"t1_signal"`` or ``"actions[0].action_due_date"``.

The package is cut along what a form evaluation does: state.py (FormState, Issue, paths),
coercion.py (typed answers, type errors, messages), run.py (evaluate/validate/finalize),
display.py (Dutch display text).
"""

from __future__ import annotations

from forms.engine.coercion import (
    MAX_TEXT,
    MSG_CHOICE,
    MSG_CONSTRAINT,
    MSG_DATE,
    MSG_DECIMAL,
    MSG_INTEGER,
    MSG_REPEAT,
    MSG_REQUIRED,
    MSG_REQUIRED_REPEAT,
    MSG_TEXT,
    MSG_TIME,
    MSG_TOO_LONG,
)
from forms.engine.display import display_value
from forms.engine.run import evaluate, finalize, validate
from forms.engine.state import FormState, Issue, SectionProgress, is_empty, path_of

__all__ = [
    "MAX_TEXT",
    "MSG_CHOICE",
    "MSG_CONSTRAINT",
    "MSG_DATE",
    "MSG_DECIMAL",
    "MSG_INTEGER",
    "MSG_REPEAT",
    "MSG_REQUIRED",
    "MSG_REQUIRED_REPEAT",
    "MSG_TEXT",
    "MSG_TIME",
    "MSG_TOO_LONG",
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
