"""Demo decisions that tell the truth (issue 15): the outcome, the approved amounts, the
criterion judgements, the plan checks that fail and the explanations agree with each other and
with the rules of desktop.services.decisions, so every demo letter can be sent as it is.

Pure: given the random source and the request, `plan_decision` returns what the demo writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from desktop.services.decisions import reserved_split

FAIL = "DOES_NOT_MEET"
CENT = Decimal("0.01")
REQUIREMENT_PREFIXES = ("kp_", "mb_", "ps_", "oi_")  # §4.2.2-4.2.5 (TS is timing, no eis)


@dataclass
class DemoDecision:
    decision: str
    approved: tuple[Decimal, Decimal, Decimal] | None  # (total, staff, other)
    criteria: list[tuple[str, str]] = field(default_factory=list)  # (code, judgement)
    plan_fail: list[str] = field(default_factory=list)  # plan check keys forced "Voldoet niet"
    accepted: dict[str, dict[str, str]] = field(default_factory=dict)
    rationale: str = ""
    variant: str = ""  # "", "to_guideline" (adjusted back to 85/15), "trimmed", "scaled"


def _check_code(key: str) -> str:
    return f"{key[:2].upper()}-{key.split('_')[1]}"


def _guideline_parts(
    total: Decimal, staff: Decimal, other: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """The largest total in whole hundreds, at most `total`, split exactly 85/15 with each part
    within its request (a realistic "aangepast aan de richtlijn")."""
    cap = min(total, staff / Decimal("0.85"), other / Decimal("0.15"))
    a_total = (cap / 100).to_integral_value(rounding=ROUND_DOWN) * 100
    a_other = (a_total * Decimal("0.15")).quantize(CENT)
    return a_total.quantize(CENT), a_total.quantize(CENT) - a_other, a_other


def plan_decision(
    rng: Any,
    txt: dict,
    *,
    decision: str,
    deviating: bool,
    early: bool,
    total: Decimal,
    staff: Decimal,
    other: Decimal,
    reserved: Decimal,
    criteria: tuple[str, ...],
    plan_keys: tuple[str, ...],
) -> DemoDecision:
    reqs = [k for k in plan_keys if k.startswith(REQUIREMENT_PREFIXES)]
    number = {code: i + 1 for i, code in enumerate(criteria)}

    def accept(code: str, basis: str) -> dict[str, str]:
        return {"basis": basis, "text": rng.choice(txt["acceptance"][basis])}

    def judge(weights: tuple[int, int], fail: list[str]) -> list[tuple[str, str]]:
        return [
            (c, FAIL if c in fail else rng.choices(("MEETS", "PARTLY"), weights=weights)[0])
            for c in criteria
        ]

    d = DemoDecision(decision, None)
    if decision == "REJECTED":
        if deviating:
            fail = sorted(rng.sample(criteria, rng.randint(2, 4)), key=number.__getitem__)
            d.criteria = judge((30, 70), fail)
            nums = ", ".join(str(number[c]) for c in fail[:-1]) + f" en {number[fail[-1]]}"
            d.rationale = (
                f"De afwijking van de richtlijn 85/15 is onvoldoende onderbouwd: de "
                f"aanvraag voldoet niet aan de toetsingspunten {nums}. De richtlijn blijft "
                "van toepassing; de aanbieder kan een aangepaste aanvraag indienen."
            )
        else:
            d.plan_fail = sorted(rng.sample(reqs, 2))
            codes = " en ".join(_check_code(k) for k in d.plan_fail)
            d.rationale = (
                f"De aanvraag voldoet niet aan de eisen van het inkoopkader ({codes}); "
                "na overleg is de aanvraag nog niet aangepast."
            )
        return d
    # Approvals. Early applications (before 1 November t-1) above the reserve: §4.2.8.
    if early and total > reserved and decision == "APPROVED":
        decision = d.decision = "APPROVED_UP_TO_RESERVED"
    if decision == "APPROVED_UP_TO_RESERVED":
        d.approved = reserved_split(reserved, staff, other)
        d.rationale = (
            "De aanvraag is vóór 1 november ingediend: akkoord tot het gereserveerde "
            "budget (Inkoopkader §4.2.8). Over het meerdere wordt na de landelijke "
            "budgetronde besloten."
        )
    elif decision == "APPROVED":
        d.approved = (total, staff, other)
        d.rationale = txt["decision_rationale"]["APPROVED"]
    else:  # APPROVED_ADJUSTED
        if deviating and rng.random() < 0.5:
            d.variant = "to_guideline"
            d.approved = _guideline_parts(total, staff, other)
        elif deviating:
            d.variant = "trimmed"
            a_other = (other * Decimal(str(round(rng.uniform(0.7, 0.9), 2)))).quantize(CENT)
            d.approved = (staff + a_other, staff, a_other)
        else:
            d.variant = "scaled"
            f = Decimal(str(round(rng.uniform(0.9, 0.98), 3)))
            d.approved = _guideline_parts((total * f).quantize(CENT), staff, other)
        if early and d.approved[0] > reserved:
            d.approved = (
                _guideline_parts(reserved, staff, other)
                if d.variant != "trimmed"
                else reserved_split(reserved, d.approved[1], d.approved[2])
            )
    # Criteria and plan checks that agree with the approval.
    if deviating:
        if d.variant == "to_guideline":
            fail = sorted(rng.sample(criteria, rng.randint(1, 3)), key=number.__getitem__)
            d.criteria = judge((50, 50), fail)
            nums = ", ".join(str(number[c]) for c in fail)
            d.rationale = (
                f"De onderbouwing van de afwijking schoot tekort op toetsingspunt {nums}. "
                "Na overleg is de aanvraag aangepast aan de richtlijn 85/15; de "
                "aangepaste aanvraag is akkoord."
            )
        elif d.variant == "trimmed" or rng.random() < 0.15:
            fail = [rng.choice(criteria)]
            d.criteria = judge((60, 40), fail)
            basis = "MAATWERK" if d.variant == "trimmed" else "CONDITION"
            d.accepted[fail[0]] = accept(fail[0], basis)
            if d.variant == "trimmed":
                d.rationale = (
                    f"Na overleg is het aandeel overige investeringen verlaagd. "
                    f"Toetsingspunt {number[fail[0]]} voldoet niet; daarover is een "
                    "maatwerkafspraak gemaakt. De aangepaste aanvraag is akkoord."
                )
        else:
            d.criteria = judge((75, 25), [])
    if d.variant == "scaled":
        d.rationale = (
            "Na overleg zijn de begrote kosten van de extra inzet naar beneden bijgesteld "
            "(niet alle functies vallen onder de definitie zorgpersoneel); de aangepaste "
            "aanvraag is akkoord."
        )
    if decision != "APPROVED_UP_TO_RESERVED" and rng.random() < 0.2:
        key = rng.choice(reqs)
        d.plan_fail = [key]
        d.accepted[_check_code(key)] = accept(_check_code(key), "CONDITION")
    return d


def cohere_plan(answers: dict[str, Any], d: DemoDecision | None, reasoning: dict[str, str]) -> None:
    """Make the raw plan answers agree with the decision: for an approval no check fails except
    the accepted ones; for a rejection the named checks fail."""
    if d is None:
        return
    for key in [k for k in answers if k.endswith("_judgement")]:
        base = key[: -len("_judgement")]
        if base in d.plan_fail:
            answers[key], answers[f"{base}_reasoning"] = FAIL, reasoning[FAIL]
        elif answers[key] == FAIL and d.decision != "REJECTED":
            answers[key], answers[f"{base}_reasoning"] = "PARTLY", reasoning["PARTLY"]
