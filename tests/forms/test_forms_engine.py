"""Engine: validation, constraints, relevance, calculations on small hand-made forms and on
the real locatiebezoek form; hypothesis: random answers never crash validation."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms import (
    FormDefinitionError,
    display_value,
    evaluate,
    finalize,
    load_definition,
    load_form,
    validate,
)

TODAY = date(2026, 11, 23)

MINI = """
settings: {form_id: mini, version: "2026010101"}
choices:
  yn: [{name: Y, label: Ja}, {name: N, label: Nee}]
  col: [{name: R, label: Rood}, {name: G, label: Groen}, {name: B, label: Blauw}]
survey:
  - type: group
    name: g
    label: Groep
    children:
      - {type: text, name: naam, label: Naam, required: true}
      - {type: integer, name: aantal, label: Aantal, constraint: ". >= 1 and . <= 10",
         constraint_message: "Tussen 1 en 10."}
      - {type: decimal, name: bedrag, label: Bedrag}
      - {type: select_one yn, name: bezocht, label: Bezocht}
      - {type: text, name: waarom, label: Waarom niet, relevant: "${bezocht} = 'N'", required: true}
      - {type: select_multiple col, name: kleuren, label: Kleuren}
      - {type: text, name: blauw, label: Welk blauw, relevant: "selected(${kleuren}, 'B')"}
      - {type: date, name: datum, label: Datum, constraint: ". <= today()"}
      - {type: time, name: tijd, label: Tijd}
      - {type: calculate, name: dubbel, calculation: "${aantal} * 2"}
      - {type: calculate, name: vooruit, calculation: "${later} + 1"}
      - {type: calculate, name: later, calculation: "count(${kleuren})"}
  - type: repeat
    name: regels
    label: Regel
    required: "${bezocht} = 'Y'"
    children:
      - {type: integer, name: n, label: N, required: true}
      - {type: integer, name: m, label: M, constraint: ". > ${n}"}
      - {type: calculate, name: nm, calculation: "${n} + ${m}"}
  - {type: calculate, name: totaal, calculation: "sum(${n})"}
  - {type: calculate, name: rijen, calculation: "count(${regels})"}
"""


@pytest.fixture(scope="module")
def mini():
    return load_definition(MINI, "mini")


def msgs(form, answers):
    return evaluate(form, answers, TODAY).messages()


def test_required_and_types(mini):
    m = msgs(mini, {})
    assert m == {"naam": "Dit veld is verplicht."}
    m = msgs(
        mini,
        {
            "naam": "x",
            "aantal": "abc",
            "bedrag": "1,5",
            "datum": "2026-13-01",
            "tijd": "25:00",
            "bezocht": "Q",
            "kleuren": ["R", "Z"],
        },
    )
    assert m == {
        "aantal": "Vul een geheel getal in.",
        "datum": "Vul een geldige datum in.",
        "tijd": "Vul een tijd in als uu:mm (bijvoorbeeld 09:30).",
        "bezocht": "Kies een waarde uit de lijst.",
        "kleuren": "Kies een waarde uit de lijst.",
    }


def test_constraints(mini):
    assert msgs(mini, {"naam": "x", "aantal": 11})["aantal"] == "Tussen 1 en 10."
    assert "aantal" not in msgs(mini, {"naam": "x", "aantal": 10})
    assert "datum" in msgs(mini, {"naam": "x", "datum": "2026-11-24"})
    assert "datum" not in msgs(mini, {"naam": "x", "datum": "2026-11-23"})


def test_relevance_and_conditional_required(mini):
    st_ = evaluate(mini, {"naam": "x", "bezocht": "Y"}, TODAY)
    assert not st_.is_relevant("waarom")
    assert st_.messages() == {"regels": "Voeg minstens één regel toe."}
    st_ = evaluate(mini, {"naam": "x", "bezocht": "N"}, TODAY)
    assert st_.is_relevant("waarom")
    assert st_.messages() == {"waarom": "Dit veld is verplicht."}
    st_ = evaluate(mini, {"naam": "x", "kleuren": ["B"]}, TODAY)
    assert st_.is_relevant("blauw")


def test_repeat_rows(mini):
    answers = {"naam": "x", "regels": [{"n": 2, "m": 1}, {"n": 3, "m": 5}, {"m": 1}]}
    st_ = evaluate(mini, answers, TODAY)
    assert st_.messages() == {
        "regels[0].m": "Deze waarde is niet toegestaan.",
        "regels[2].n": "Dit veld is verplicht.",
    }
    assert st_.calculated["regels[1].nm"] == 8
    assert st_.calculated["totaal"] == 5
    assert st_.calculated["rijen"] == 3


def test_calculations_forward_ref(mini):
    st_ = evaluate(mini, {"naam": "x", "aantal": 4, "kleuren": ["R", "G"]}, TODAY)
    assert st_.calculated["dubbel"] == 8
    assert st_.calculated["later"] == 2
    assert st_.calculated["vooruit"] == 3


def test_finalize_drops_irrelevant_and_keeps_calculations(mini):
    answers = {
        "naam": "x",
        "bezocht": "Y",
        "waarom": "weg",
        "onbekend": 1,
        "aantal": 3,
        "bedrag": "",
    }
    out = finalize(mini, answers, TODAY)
    assert "waarom" not in out and "onbekend" not in out and "bedrag" not in out
    assert out["dubbel"] == 6 and out["naam"] == "x"


def test_section_progress(mini):
    st_ = evaluate(mini, {"naam": "x", "aantal": 2}, TODAY)
    (g,) = st_.section_progress()
    assert g.name == "g" and g.filled == 2 and g.complete


def test_bad_definitions():
    with pytest.raises(FormDefinitionError):
        load_definition("settings: {form_id: a, version: '1'}\nsurvey:\n  - {type: blah, name: x}")
    with pytest.raises(FormDefinitionError):
        load_definition(
            "settings: {form_id: a, version: '1'}\nsurvey:\n  - {type: select_one nope, name: x, label: X}"
        )
    with pytest.raises(FormDefinitionError):
        load_definition(
            "settings: {form_id: a, version: '1'}\nsurvey:\n"
            "  - {type: text, name: x, label: X}\n  - {type: text, name: x, label: Y}"
        )
    with pytest.raises(FormDefinitionError):
        load_definition(
            "settings: {form_id: a, version: '1'}\nsurvey:\n"
            "  - {type: text, name: x, label: X, relevant: '${y} >'}"
        )


# --------------------------------------------------------------------- the real form


@pytest.fixture(scope="module")
def visit_form():
    return load_form("locatiebezoek", "2026112301")


def test_locatiebezoek_structure(visit_form):
    names = visit_form.names
    for n in range(1, 9):
        for suffix in ("observation", "source", "signal", "rating"):
            assert f"t{n}_{suffix}" in names
    assert {
        "interlocutors",
        "plan_progress",
        "actions",
        "next_visit_date",
        "overall_impression",
        "innovation_vision",
    } <= names
    assert visit_form.field("t1_signal").list_name == "signal"


def test_locatiebezoek_concern_requires_action(visit_form):
    base = {
        "location_name": "De Linde",
        "visit_date": "2026-11-20",
        "start_time": "09:00",
        "visit_type": "SITE_VISIT",
        "visit_reason": "MONITORING",
        "visitors": "Anna",
        "overall_impression": "VISIBLY_IMPROVING",
        "overall_summary": "Goed gesprek.",
    }
    assert validate(visit_form, base, TODAY) == []
    with_concern = dict(base, t3_observation="Medicatiekar open", t3_signal="ZORG")
    st_ = evaluate(visit_form, with_concern, TODAY)
    assert st_.calculated["concern_count"] == 1
    assert st_.is_relevant("concern_note")
    assert list(st_.messages()) == ["actions"]
    fixed = dict(
        with_concern,
        actions=[
            {
                "action_description": "Kar op slot",
                "action_owner": "PROVIDER",
                "action_due_date": "2026-12-01",
            }
        ],
    )
    assert validate(visit_form, fixed, TODAY) == []
    # observation without signal
    assert "t1_signal" in evaluate(visit_form, dict(base, t1_observation="x"), TODAY).messages()
    # end before start
    assert "end_time" in evaluate(visit_form, dict(base, end_time="08:00"), TODAY).messages()


def test_display_values(visit_form):
    assert (
        display_value(visit_form, visit_form.field("visit_date"), "2026-11-23")
        == "23 november 2026"
    )
    assert display_value(visit_form, visit_form.field("t1_signal"), "ZORG") == "Zorg"
    assert (
        display_value(visit_form, visit_form.field("t1_source"), ["RONDGANG", "GESPREK"])
        == "Rondgang, Gesprek"
    )


# ------------------------------------------------------------------ property test

json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["2026-11-23", "09:30", "ZORG", "POSITIEF", "GOOD", "PROVIDER", "", "1,5"]),
)
json_value = st.recursive(
    json_scalar,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_answers_never_crash(visit_form, data):
    names = sorted(visit_form.names)
    keys = st.one_of(st.sampled_from(names), st.text(max_size=8))
    row = st.dictionaries(st.sampled_from(names), json_value, max_size=4)
    value = st.one_of(json_value, st.lists(row, max_size=3))
    answers = data.draw(st.dictionaries(keys, value, max_size=25))
    state = evaluate(visit_form, answers, TODAY)
    for issue in state.issues:
        assert isinstance(issue.message, str) and issue.message
    finalize(visit_form, answers, TODAY)
    state.section_progress()
