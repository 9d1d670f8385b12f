"""The one save of the aanvraag page (issue 14), as data (issue 19): what the user can change
per section (to see unsaved work), and the service call of every changed section in the order
the rules need them. RequestEditor (the controller) runs the steps on the database worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from desktop.services import requests as rq
from desktop.ui.requests.common import Field
from desktop.ui.requests.editor_view import APPROVED_AMOUNTS, RequestEditorView

#: the sections of the page, as the user reads them in "Niet-opgeslagen wijzigingen: ..."
SECTIONS = ("gegevens", "criteria", "onderbouwing", "besluit")


class SaveStep(NamedTuple):
    section: str  # "gegevens", "criteria", "onderbouwing", "besluit"
    fn: Callable[..., Any]  # the service function
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    fields: dict[str, Field]  # where its validation errors go


class SaveOutcome(NamedTuple):
    done: list[str]  # the sections saved, in order
    result: Any  # what the last step returned (the new request after "gegevens")
    failed: str | None  # the section refused, None when all went through
    error: BaseException | None


def section_values(v: RequestEditorView, is_new: bool) -> dict[str, Any]:
    """What the user can change per section, compared with the values last loaded."""
    return {
        "gegevens": (
            (v.provider.currentData() or "") if is_new else None,
            tuple(f.text() for n, f in v.fields.items() if n != "provider_id"),
            v.special.isChecked(),
        ),
        "criteria": tuple(r.value() for r in v.criteria_rows + v.own_rows),
        "onderbouwing": (
            tuple(f.text() for f in v.dev_fields.values()),
            v.shares.isChecked(),
            tuple(b.isChecked() for b in v.support.values()),
        ),
        "besluit": (
            v.decision.currentData() or "",
            tuple(
                v.decision_fields[n].text()
                for n in (*APPROVED_AMOUNTS, "decision_rationale", "custom_agreements")
            ),
            tuple(p.text() for p in v.points),
            tuple(sorted((k, a["basis"], a["text"]) for k, a in v.acceptance.values().items())),
        ),
    }


def save_steps(
    v: RequestEditorView, db: Any, request_id: str | None, by: str, dirty: set[str]
) -> list[SaveStep]:
    """(section, service function, args, kwargs, fields) for every changed section, in the
    order the rules need them: data, criteria, the provider's case, the decision."""
    steps: list[SaveStep] = []
    if "gegevens" in dirty or request_id is None:
        values: dict[str, Any] = {n: v.fields[n].text() for n in v.fields if n != "provider_id"}
        values["has_special_circumstances"] = v.special.isChecked()
        if request_id is None:
            kwargs = {"by": by, "provider_id": v.provider.currentData(), **values}
            steps.append(SaveStep("gegevens", rq.create_request, (db,), kwargs, v.fields))
            return steps  # the other cards open once the request exists
        values.pop("budget_year")
        steps.append(
            SaveStep("gegevens", rq.update_request, (db, request_id, by), values, v.fields)
        )
    if "criteria" in dirty:
        rows = v.criteria_rows + v.own_rows
        fields = {f"criterion:{r.code}": r.reasoning for r in rows}
        steps.append(
            SaveStep(
                "criteria",
                rq.judge_criteria,
                (db, request_id, by, {r.code: r.value() for r in rows}),
                {},
                fields | {"criteria": v.criteria_error},
            )
        )
    if "onderbouwing" in dirty:
        case: dict[str, Any] = {n: f.text() for n, f in v.dev_fields.items()}
        case["shares_learning_in_region"] = v.shares.isChecked()
        case["support_evidence"] = {k: b.isChecked() for k, b in v.support.items()}
        steps.append(
            SaveStep("onderbouwing", rq.update_deviation, (db, request_id, by), case, v.dev_fields)
        )
    if "besluit" in dirty:
        f = v.decision_fields
        decision = {
            "decision": v.decision.currentData() or "",
            "approved_total": f["approved_total"].text(),
            "approved_staff_amount": f["approved_staff_amount"].text(),
            "approved_other_amount": f["approved_other_amount"].text(),
            "rationale": f["decision_rationale"].text(),
            "custom_agreements": f["custom_agreements"].text(),
            "improvement_points": [p.text() for p in v.points],
            "accepted_points": v.acceptance.values(),
        }
        steps.append(SaveStep("besluit", rq.record_decision, (db, request_id, by), decision, f))
    return steps


def run_steps(steps: list[SaveStep]) -> SaveOutcome:
    """On the database worker: each step is its own transaction; the first refusal stops the
    rest (the sections saved before it stay saved)."""
    done: list[str] = []
    result: Any = None
    for step in steps:
        try:
            result = step.fn(*step.args, **step.kwargs)
        except Exception as exc:  # noqa: BLE001 - routed to the field or the log by the caller
            return SaveOutcome(done, result, step.section, exc)
        done.append(step.section)
    return SaveOutcome(done, result, None, None)
