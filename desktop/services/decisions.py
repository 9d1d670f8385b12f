"""The decision model: a besluit follows the assessment (issue 15).

One place holds the rules a decision on an aanvraag kwaliteitsbudget must keep; the requests
service calls them when a decision is recorded, submitted and approved (vier-ogen), and the
letters service calls them again before a letter becomes definitive:

  * Inkoopkader 2020 §4.2.7 (seed 001): "De zorgkantoren toetsen of de aanvragen voldoen aan de
    gestelde eisen, deze zijn opgenomen in alinea's 4.2.2 t/m 4.2.5. Als de aanvraag niet
    voldoet aan de gestelde eisen vindt er overleg plaats met de zorgaanbieder. In dit overleg
    wordt gevraagd om een toelichting op de afwijking en wordt de aanvraag aangepast aan de
    gestelde eisen." An approval while a requirement check (plan assessment) or a criterion is
    "Voldoet niet" is refused, unless the decision records per failing point why it is accepted
    (`Acceptance`: a maatwerkafspraak or a condition); the letter then says so.
  * The criteria test a deviating ratio ("Bij een aanvraag met een hoger aandeel andere
    investeringen dan 15% ..."): they count for the *approved* split exactly as for the
    requested one. An adjusted approval back at 85/15 or below does not approve a deviation, so
    its failing criteria are no failing points of the decision (the requirements always are).
  * Per part an adjusted approval never exceeds the request (S1 §4.2.11 "nooit meer toegekend
    dan begroot is in de (goedgekeurde) aanvraag"); a rejection carries no amounts.
  * §4.2.8: "Als zorgaanbieders de aanvraag ... eerder indienen ... kunnen afspraken gemaakt
    worden tot het voor de zorgaanbieder gereserveerde bedrag. De zorgkantoren doen op dat
    moment over aanvragen boven het ... gereserveerde kwaliteitsbudget nog geen uitspraken".
    An application received before 1 November t-1 (§4.2.7's early window) is agreed at most up
    to its reserved budget: outcome APPROVED_UP_TO_RESERVED, the rest is decided later.

Issues 16 and 17 attach to this model: `DecisionCheck` (what a decision rests on) and
`Acceptance` (stored in BudgetRequest.accepted_points as {code: {"basis", "text"}}).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from db.errors import ValidationError
from db.models.enums import Decision
from desktop.services.budget import Split, split
from desktop.services.formatting import money

APPROVALS = frozenset(
    {Decision.APPROVED, Decision.APPROVED_ADJUSTED, Decision.APPROVED_UP_TO_RESERVED}
)
BASES = {"MAATWERK": "maatwerkafspraak", "CONDITION": "voorwaarde"}
FAILING = "DOES_NOT_MEET"
# Plan assessment groups that are requirements of §4.2.7 ("alinea's 4.2.2 t/m 4.2.5").
REQUIREMENT_GROUPS = (
    ("kp", "4.2.2", "REQ_4_2_2"),
    ("mb", "4.2.3", "REQ_4_2_3"),
    ("ps", "4.2.4", "REQ_4_2_4"),
    ("oi", "4.2.5", "REQ_4_2_5"),
)


@dataclass(frozen=True)
class Point:
    """A requirement check or a criterion judged "Voldoet niet"."""

    code: str  # "KP-03" (plan check) or the criterion code ("C4_REGION_CHARACTERISTICS")
    kind: str  # "REQUIREMENT" | "CRITERION"
    label: str  # "eis 4.2.2, KP-03" / "toetsingspunt 4"
    text: str  # the check or criterion text, verbatim
    reasoning: str  # the assessor's reasoning


@dataclass(frozen=True)
class Acceptance:
    """Why an approval accepts a failing point: a maatwerkafspraak or a condition."""

    code: str
    basis: str  # "MAATWERK" | "CONDITION"
    text: str

    @property
    def basis_label(self) -> str:
        return BASES.get(self.basis, self.basis)


@dataclass(frozen=True)
class DecisionCheck:
    """What a decision rests on: the failing points that count for it, how each is explained."""

    decision: str | None
    failing: tuple[Point, ...]
    accepted: tuple[tuple[Point, Acceptance], ...]
    unexplained: tuple[Point, ...]
    approved_split: Split | None
    early: bool  # received before 1 November t-1 (§4.2.7/§4.2.8)

    @property
    def is_approval(self) -> bool:
        return self.decision in APPROVALS

    @property
    def ok(self) -> bool:
        return not (self.is_approval and self.unexplained)

    def refusal(self) -> str | None:
        """The Dutch message that lists every unexplained failing point (None when ok)."""
        if self.ok:
            return None
        return refusal_text(self.unexplained)


def refusal_text(points: Iterable[Point]) -> str:
    lines = [f"• {p.label}: {p.text}" for p in points]
    return (
        "Akkoord is niet mogelijk: deze punten voldoen niet en zijn niet toegelicht:\n"
        + "\n".join(lines)
        + "\nLeg per punt vast waarom het toch wordt geaccepteerd "
        "(maatwerkafspraak of voorwaarde), laat de aanvraag aanpassen, of kies 'Niet akkoord'."
    )


def early_application(received: date, budget_year: int) -> bool:
    """Received before 1 November of the year before the budget year (S1 §4.2.7, §4.2.8)."""
    return received < date(budget_year - 1, 11, 1)


# -- failing points ----------------------------------------------------------------------------


def flatten(data: Any, out: dict[str, Any] | None = None) -> dict[str, Any]:
    """Form answers as one flat {name: value} (groups nest them)."""
    out = {} if out is None else out
    if isinstance(data, Mapping):
        for k, v in data.items():
            if isinstance(v, Mapping):
                flatten(v, out)
            else:
                out[str(k)] = v
    return out


def requirement_points(answers: Mapping[str, Any], form: Any = None) -> list[Point]:
    """Every plan check of §4.2.2-4.2.5 judged "Voldoet niet", with the form's own text."""
    flat = flatten(answers)
    out = []
    for prefix, number, _code in REQUIREMENT_GROUPS:
        for key in sorted(k for k in flat if re.fullmatch(rf"{prefix}_\d+_judgement", k)):
            if flat[key] != FAILING:
                continue
            code = f"{prefix.upper()}-{key.split('_')[1]}"
            text = ""
            if form is not None and form.has_field(key):
                text = form.field(key).label.removeprefix(code).strip()
            reasoning = str(flat.get(key.replace("_judgement", "_reasoning")) or "").strip()
            out.append(Point(code, "REQUIREMENT", f"eis {number}, {code}", text, reasoning))
    return out


def criterion_points(criteria: Iterable[Any], judged: Mapping[str, tuple[str, str]]) -> list[Point]:
    """Criteria (C1..C10 and own toetspunten; objects with code/number/text_nl) judged
    "Voldoet niet"; `judged` is {code: (judgement, reasoning)}."""
    out = []
    for c in criteria:
        judgement, reasoning = judged.get(c.code, ("", ""))
        if judgement == FAILING:
            out.append(
                Point(c.code, "CRITERION", f"toetsingspunt {c.number}", c.text_nl, reasoning)
            )
    return out


# -- the check ---------------------------------------------------------------------------------


def evaluate(
    decision: str | None,
    *,
    requirements: Iterable[Point],
    criteria: Iterable[Point],
    approved_staff: Decimal | None,
    approved_other: Decimal | None,
    accepted: Mapping[str, Mapping[str, str]],
    early: bool = False,
) -> DecisionCheck:
    """Pure: which failing points count for this decision and which are explained."""
    ap_split = None
    if (
        approved_staff is not None
        and approved_other is not None
        and approved_staff + approved_other > 0
    ):
        ap_split = split(approved_staff, approved_other)
    points = list(requirements)
    if ap_split is not None and ap_split.is_deviation:
        points += list(criteria)
    explained, missing = [], []
    for p in points:
        acc = parse_acceptance(p.code, accepted.get(p.code))
        if acc is None:
            missing.append(p)
        else:
            explained.append((p, acc))
    return DecisionCheck(decision, tuple(points), tuple(explained), tuple(missing), ap_split, early)


def parse_acceptance(code: str, raw: Any) -> Acceptance | None:
    """An Acceptance from its stored form; None when absent or incomplete."""
    if not isinstance(raw, Mapping):
        return None
    basis = str(raw.get("basis") or "").strip().upper()
    text = str(raw.get("text") or "").strip()
    if basis not in BASES or not text:
        return None
    return Acceptance(code, basis, text)


def clean_acceptances(
    raw: Mapping[str, Any] | None, errors: list[ValidationError]
) -> dict[str, dict[str, str]]:
    """Validate {code: {"basis", "text"}} (or {code: (basis, text)}) as typed by a user."""
    out: dict[str, dict[str, str]] = {}
    for code, value in (raw or {}).items():
        if isinstance(value, (tuple, list)) and len(value) == 2:
            value = {"basis": value[0], "text": value[1]}
        basis = str((value or {}).get("basis") or "").strip().upper()
        text = str((value or {}).get("text") or "").strip()
        if not basis and not text:
            continue
        if basis not in BASES:
            errors.append(
                ValidationError(
                    f"accepted:{code}",
                    f"Kies bij {code} of het een maatwerkafspraak of een voorwaarde is.",
                )
            )
        elif not text:
            errors.append(
                ValidationError(
                    f"accepted:{code}",
                    f"Leg bij {code} vast waarom het punt toch wordt geaccepteerd.",
                )
            )
        else:
            out[str(code)] = {"basis": basis, "text": text}
    return out


def amount_errors(
    decision: str,
    *,
    requested: tuple[Decimal, Decimal, Decimal],
    approved: tuple[Decimal | None, Decimal | None, Decimal | None],
    reserved: Decimal,
    early: bool,
) -> list[ValidationError]:
    """The amount rules of a decision (pure). `requested`/`approved` are (total, staff, other)."""
    errors: list[ValidationError] = []
    r_total, r_staff, r_other = requested
    a_total, a_staff, a_other = approved
    if decision == Decision.REJECTED:
        if any(v is not None for v in approved):
            errors.append(
                ValidationError(
                    "approved_total",
                    "Bij 'Niet akkoord' horen geen toegekende bedragen; laat ze leeg.",
                )
            )
        return errors
    if decision == Decision.APPROVED_UP_TO_RESERVED and not early:
        errors.append(
            ValidationError(
                "decision",
                "'Akkoord tot het gereserveerde budget' geldt "
                "alleen voor een aanvraag die vóór 1 november van het jaar "
                "vóór het budgetjaar is ontvangen (Inkoopkader §4.2.8).",
            )
        )
    if decision == Decision.APPROVED_UP_TO_RESERVED and early and r_total <= reserved:
        errors.append(
            ValidationError(
                "decision",
                "De aanvraag valt binnen het gereserveerde budget "
                f"({money(reserved)}); kies 'Akkoord'.",
            )
        )
    for value, req, field, label in (
        (a_staff, r_staff, "approved_staff_amount", "extra zorgpersoneel"),
        (a_other, r_other, "approved_other_amount", "overige investeringen"),
    ):
        if value is not None and value > req:
            errors.append(
                ValidationError(
                    field,
                    f"Toegekend voor {label} ({money(value)}) is meer "
                    f"dan aangevraagd ({money(req)}); per onderdeel wordt nooit "
                    "meer toegekend dan gevraagd.",
                )
            )
    if a_total is not None and a_total > r_total:
        errors.append(
            ValidationError(
                "approved_total",
                f"Toegekend ({money(a_total)}) mag niet "
                f"hoger zijn dan aangevraagd ({money(r_total)}).",
            )
        )
    if early and a_total is not None and a_total > reserved:
        hint = (
            "kies 'Akkoord tot het gereserveerde budget'"
            if decision != Decision.APPROVED_UP_TO_RESERVED
            else "verlaag het toegekende bedrag"
        )
        errors.append(
            ValidationError(
                "approved_total",
                f"Deze aanvraag is vóór 1 november ontvangen: "
                f"er kan nu alleen een afspraak worden gemaakt tot het "
                f"gereserveerde budget van {money(reserved)} (Inkoopkader "
                f"§4.2.8); {hint}. Over het meerdere wordt later besloten.",
            )
        )
    return errors


def reserved_split(
    reserved: Decimal, staff: Decimal, other: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """The reserved budget in the requested ratio, to the cent (staff + other == reserved);
    the default amounts of an APPROVED_UP_TO_RESERVED decision."""
    total = staff + other
    if total <= 0:
        return reserved, reserved, Decimal("0.00")
    part_other = (reserved * other / total).quantize(Decimal("0.01"))
    part_other = min(part_other, other)
    return reserved, reserved - part_other, part_other
