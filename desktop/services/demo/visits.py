"""Demo answers for the locatiebezoek form, version 2026112301 (forms/locatiebezoek/).

Field names and choice codes follow that published form exactly, so demo visits open, print
and validate like visits recorded by hand. Completed visits are stored as the form engine's
`finalize` keeps them (calculations included, non-relevant answers dropped).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import Any

FORM_ID = "locatiebezoek"
FORM_VERSION = "2026112301"

_THEMES = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8")
_SIGNAL = {
    "GOOD": "POSITIEF",
    "SUFFICIENT": "POSITIEF",
    "MODERATE": "AANDACHTSPUNT",
    "INSUFFICIENT": "ZORG",
}
_ROLES = (
    "LOCATIEMANAGER",
    "TEAMLEIDER",
    "ZORGMEDEWERKER",
    "CLIENTENRAAD",
    "BEHANDELAAR",
    "NAASTE",
    "VVAR",
    "KWALITEITSFUNCTIONARIS",
    "BESTUURDER",
    "VRIJWILLIGER",
)
_TECH = ("ECD", "PERSONAL_ALARM", "DOMOTICS", "GPS", "WANDER_DETECTION", "SENSORS", "SCREEN_CARE")
_SUMMARY = {
    "GOOD_EXAMPLE": "De locatie is op meerdere thema's een goed voorbeeld voor andere aanbieders.",
    "VISIBLY_IMPROVING": "De locatie werkt zichtbaar aan de verbeterpunten uit het kwaliteitsplan.",
    "NEEDS_IMPROVEMENT": "Op enkele thema's moet de locatie nog verbeteren; afspraken zijn gemaakt.",
}


@cache
def _form(form_id: str = FORM_ID, version: str = FORM_VERSION):  # type: ignore[no-untyped-def]
    """A published form: the locatiebezoek by default, the plan assessment below."""
    from forms import load_form

    return load_form(form_id, version)


@cache
def _yes_partly_no() -> tuple[str, str, str]:
    values = [c.value for c in _form().choices["yes_partly_no"]]
    return values[0], values[1], values[2]


def answers(
    gen: Any, loc: Any, visit_date: date, visitors: list[str], ratings: dict[str, str | None]
) -> dict[str, Any]:
    """Answers for one visit; `ratings` are the location's latest theme ratings (or None)."""
    rng = gen.rng
    names = gen.user_names if hasattr(gen, "user_names") else {}
    start_hour = rng.choice((9, 10, 13))
    a: dict[str, Any] = {
        "location_name": loc.name,
        "visit_date": visit_date.isoformat(),
        "start_time": f"{start_hour:02d}:{rng.choice(('00', '30'))}",
        "end_time": f"{start_hour + rng.randint(2, 3):02d}:00",
        "visit_type": rng.choices(
            ("SITE_VISIT", "ON_SITE_DIALOGUE", "FOLLOW_UP_VISIT", "THEMATIC"),
            weights=(55, 25, 15, 5),
        )[0],
        "visit_reason": rng.choices(("MONITORING", "SIGNAL", "FOLLOW_UP"), weights=(70, 15, 15))[0],
        "visitors": ", ".join(names.get(v, v) for v in visitors),
    }
    if a["visit_reason"] == "SIGNAL":
        a["visit_reason_signal"] = "Signaal van de cliëntenraad over de personele bezetting."
    a["interlocutors"] = [
        {"interlocutor_role": role, "interlocutor_count": rng.randint(1, 4)}
        for role in rng.sample(_ROLES, rng.randint(2, 5))
    ]
    concerns = 0
    for theme in _THEMES:
        rating = ratings.get(theme) or rng.choice(("GOOD", "SUFFICIENT", "SUFFICIENT", "MODERATE"))
        if rng.random() < 0.3 and rating in ("GOOD", "SUFFICIENT"):
            continue  # not every theme is discussed at every visit
        key = theme.lower()
        pool = gen.txt["rationale"][theme]
        a[f"{key}_observation"] = gen.pick(
            pool["bad"] if _SIGNAL[rating] != "POSITIEF" else pool["good"]
        )
        a[f"{key}_source"] = sorted(
            rng.sample(("RONDGANG", "GESPREK", "DOCUMENT"), rng.randint(1, 2))
        )
        a[f"{key}_signal"] = _SIGNAL[rating]
        concerns += _SIGNAL[rating] == "ZORG"
        if rng.random() < 0.6:
            a[f"{key}_rating"] = rating
    # Choice codes as the form engine loads them (the published file writes YES/NO unquoted,
    # which YAML reads as booleans), so stored answers always validate against the form.
    yes, partly, no = _yes_partly_no()
    a["innovation_vision"] = rng.choice((yes, yes, partly, no))
    a["innovation_process"] = rng.choice((yes, partly, no))
    a["innovation_platform"] = rng.choice((yes, partly, no))
    a["innovation_technologies"] = sorted(rng.sample(_TECH, rng.randint(1, 4)))
    items = gen.txt["improvement_items"]
    a["plan_progress"] = [
        {
            "progress_item": item["what"],
            "progress_status": rng.choice(
                ("NIET_GESTART", "LOOPT", "LOOPT", "GEREALISEERD", "VERTRAAGD")
            ),
            "progress_effect": sorted(
                rng.sample(("MERKBAAR", "MEETBAAR", "VOELBAAR"), rng.randint(0, 2))
            ),
        }
        for item in rng.sample(items, rng.randint(1, 3))
    ]
    for row in a["plan_progress"]:
        if not row["progress_effect"]:
            del row["progress_effect"]
    bad = sum(1 for t in _THEMES if (ratings.get(t) or "") in ("MODERATE", "INSUFFICIENT"))
    impression = (
        "GOOD_EXAMPLE" if bad <= 1 else "VISIBLY_IMPROVING" if bad <= 3 else "NEEDS_IMPROVEMENT"
    )
    a["overall_impression"] = impression
    a["overall_summary"] = _SUMMARY[impression]
    a["escalation"] = "BOARD_ADDRESSED" if concerns >= 2 else "NONE"
    if concerns or rng.random() < 0.5:
        a["actions"] = [
            {
                "action_description": gen.pick(gen.txt["actions"]["PROVIDER"]).format(theme=t),
                "action_owner": "PROVIDER",
                "action_due_date": (visit_date + timedelta(days=rng.randint(42, 90))).isoformat(),
                "action_theme": t,
            }
            for t in rng.sample(_THEMES, rng.randint(1, 2))
        ]
    a["next_visit_date"] = (visit_date + timedelta(days=rng.randint(120, 300))).isoformat()
    return a


def finalize(answers_: dict[str, Any], today: date) -> dict[str, Any]:
    """Stored form of completed answers (as the visits service keeps them)."""
    from forms import finalize as _finalize

    return _finalize(_form(), answers_, today)


# -- plan assessment (forms/plan_assessment/2026112301.yaml) -----------------------------------
PLAN_FORM_ID = "plan_assessment"
PLAN_FORM_VERSION = "2026112301"
_REASONING = {
    "MEETS": "Voldoet: in het plan en de bijlagen aantoonbaar uitgewerkt.",
    "PARTLY": "Voldoet deels: op hoofdlijnen beschreven, de uitwerking per locatie is beperkt.",
    "DOES_NOT_MEET": "Voldoet niet: dit onderdeel ontbreekt in het plan; besproken met de aanbieder.",
}


def plan_check_keys() -> tuple[str, ...]:
    """The check keys of the plan assessment form ("kp_01", ...)."""
    return _judgement_fields()


@cache
def _judgement_fields() -> tuple[str, ...]:
    return tuple(
        f.name[: -len("_judgement")]
        for f in _form(PLAN_FORM_ID, PLAN_FORM_VERSION).walk()
        if f.name.endswith("_judgement")
    )


def plan_answers(
    gen: Any, quality: float, complete: bool, today: date, adjust: Any = None
) -> dict[str, Any]:
    """A plan assessment on the checks of DOMAIN.md §5; better providers meet more checks.
    `adjust(answers, reasoning)` makes the raw answers agree with a decision (issue 15)."""
    rng = gen.rng
    good = 0.75 + 0.1 * max(-2.0, min(2.0, quality))
    a: dict[str, Any] = {}
    keys = _judgement_fields()
    for key in keys if complete else keys[: rng.randint(1, len(keys) - 1)]:
        u = rng.random()
        j = "MEETS" if u < good else "PARTLY" if u < good + 0.6 * (1 - good) else "DOES_NOT_MEET"
        a[f"{key}_judgement"] = j
        a[f"{key}_reasoning"] = _REASONING[j]
    if adjust is not None:
        adjust(a, _REASONING)
    topics = rng.sample(gen.txt["note_topics"], rng.randint(1, 3))
    a["improvement_points"] = [
        {"improvement_point": gen.pick(gen.txt["notes"]["IMPROVEMENT_POINT"]).format(topic=t)}
        for t in topics
    ]
    if complete:
        a["overall_conclusion"] = (
            "Het plan voldoet op hoofdlijnen aan de eisen van het "
            "inkoopkader; de verbeterpunten zijn met de aanbieder besproken."
        )
        from forms import finalize as _finalize

        return _finalize(_form(PLAN_FORM_ID, PLAN_FORM_VERSION), a, today)
    return a
