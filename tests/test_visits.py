"""Locatiebezoek service: drafts, autosave, completion, corrections, history, follow-up
actions and observations -> diagnosis notes. Real SQLite file per test."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from db.errors import NotFound, RuleViolation, ValidationError, ValidationErrors

TODAY = date.today()


# -- fast database fixtures -------------------------------------------------------------------
# Creating a database (schema + reference data) takes seconds; these tests copy one prepared
# file instead. They override `db_path`, `db` and `users` of tests/conftest.py for the visit
# test modules (which import them from here): same contents, a fresh file per test.


_TEMPLATE: list = []


def _make_template():  # type: ignore[no-untyped-def]
    """Built once per test process (shared by every module that imports these fixtures)."""
    import atexit
    import shutil
    import tempfile

    from people_helpers import make_colleagues

    from desktop.services.database import open_database

    if _TEMPLATE:
        return _TEMPLATE[0]
    folder = Path(tempfile.mkdtemp(prefix="visits_template_"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "template.sqlite"
    database = open_database(path)
    colleagues = make_colleagues(database)
    database.dispose()
    _TEMPLATE.append((path, colleagues))
    return _TEMPLATE[0]


@pytest.fixture
def visits_template():  # type: ignore[no-untyped-def]
    return _make_template()


@pytest.fixture
def db_path(tmp_path, visits_template):  # type: ignore[no-untyped-def]
    import shutil

    src, _users = visits_template
    dst = tmp_path / "test.sqlite"
    for suffix in ("", "-wal"):
        if Path(str(src) + suffix).exists():
            shutil.copyfile(str(src) + suffix, str(dst) + suffix)
    return dst


@pytest.fixture
def db(db_path):  # type: ignore[no-untyped-def]
    from desktop.services.database import open_database

    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture
def users(db, visits_template):  # type: ignore[no-untyped-def]
    return dict(visits_template[1])


def make_location(db, actor_id, name="Huize De Linde", place="Utrecht", improvement_items=()):  # type: ignore[no-untyped-def]
    """One provider with one location (optionally a verbeterparagraaf)."""
    from sqlmodel import select

    from db.models import Location, LocationImprovementItem, Provider, QualityPlan, Region
    from db.repo import UnitOfWork

    with UnitOfWork(db, actor_id) as uow:
        region = uow.exec(select(Region)).first()
        prov = uow.add(Provider(name="Zorggroep De Linde", kvk_number="12345678"))
        loc = uow.add(Location(provider_id=prov.id, region_id=region.id, name=name, place=place))
        if improvement_items:
            plan = uow.add(
                QualityPlan(provider_id=prov.id, year=TODAY.year, title="Kwaliteitsplan")
            )
            for what in improvement_items:
                uow.add(
                    LocationImprovementItem(quality_plan_id=plan.id, location_id=loc.id, what=what)
                )
        return SimpleNamespace(provider=prov.id, location=loc.id)


def full_answers(visit, **extra):  # type: ignore[no-untyped-def]
    """A complete, valid set of answers for form 2026112301."""
    a = dict(visit.answers)
    a.update(
        {
            "visit_date": (TODAY - timedelta(days=1)).isoformat(),
            "start_time": "09:30",
            "end_time": "12:00",
            "visit_type": "SITE_VISIT",
            "visit_reason": "MONITORING",
            "interlocutors": [
                {"interlocutor_role": "TEAMLEIDER", "interlocutor_count": 2},
                {"interlocutor_role": "CLIENTENRAAD", "interlocutor_count": 3},
            ],
            "t1_observation": "Medewerkers kennen de levensverhalen van bewoners goed.",
            "t1_source": ["RONDGANG", "GESPREK"],
            "t1_signal": "POSITIEF",
            "t1_rating": "GOOD",
            "t3_observation": "Medicatiekar stond onbeheerd open in de gang.",
            "t3_source": ["RONDGANG"],
            "t3_signal": "ZORG",
            "t3_rating": "MODERATE",
            "t6_observation": "Weinig vaste gezichten in de huiskamer, veel inhuur.",
            "t6_signal": "AANDACHTSPUNT",
            "overall_impression": "VISIBLY_IMPROVING",
            "overall_summary": "Betrokken team; medicatieveiligheid vraagt directe aandacht.",
            "actions": [
                {
                    "action_description": "Medicatiekar altijd afsluiten",
                    "action_owner": "PROVIDER",
                    "action_due_date": (TODAY + timedelta(days=7)).isoformat(),
                    "action_theme": "T3",
                },
                {
                    "action_description": "Terugkoppeling aan bestuurder",
                    "action_owner": "CARE_OFFICE",
                    "action_due_date": (TODAY + timedelta(days=30)).isoformat(),
                },
            ],
            "next_visit_date": (TODAY + timedelta(days=180)).isoformat(),
        }
    )
    a["plan_progress"] = [
        dict(r, progress_status="LOOPT", progress_effect=["MERKBAAR"])
        for r in a.get("plan_progress", [])
    ]
    a.update(extra)
    return a


@pytest.fixture
def world(db, users):  # type: ignore[no-untyped-def]
    w = make_location(
        db, users["purchaser"].id, improvement_items=("Inzet vrijwilligers", "Minder verzuim")
    )
    w.actor = users["purchaser"].id
    w.other = users["advisor"].id
    return w


def test_create_draft_records_form_version_and_prefills(db, world):
    from desktop.services.visits import create_visit, list_drafts

    v = create_visit(db, world.location, actor_id=world.actor)
    assert (v.form_id, v.form_version) == ("locatiebezoek", "2026112301")
    assert v.status == "DRAFT" and v.is_draft and v.status_label == "Concept"
    assert v.answers["location_name"] == "Huize De Linde, Utrecht"
    assert v.answers["visit_date"] == TODAY.isoformat()
    assert v.answers["visitors"].startswith("Anna de Vries")
    assert [r["progress_item"] for r in v.answers["plan_progress"]] == [
        "Inzet vrijwilligers",
        "Minder verzuim",
    ]
    assert [d.id for d in list_drafts(db, world.actor)] == [v.id]
    assert list_drafts(db, world.other) == []


def test_autosave_keeps_every_word_and_refuses_completed(db, world):
    from desktop.services.visits import autosave, complete_visit, create_visit, get_visit

    v = create_visit(db, world.location, actor_id=world.actor)
    answers = dict(v.answers, t2_observation="Eerste woorden")
    t1 = autosave(db, v.id, answers, actor_id=world.actor)
    answers["t2_observation"] += " en meer woorden, met ë en €"
    t2 = autosave(db, v.id, answers, actor_id=world.actor)
    got = get_visit(db, v.id)
    assert got.answers["t2_observation"] == "Eerste woorden en meer woorden, met ë en €"
    assert t2 >= t1 and got.autosaved_at == t2
    # invalid answers may be saved in a draft (validation is at completion)
    autosave(db, v.id, dict(answers, start_time="99:99"), actor_id=world.actor)
    with pytest.raises(ValidationErrors) as exc:
        complete_visit(db, v.id, actor_id=world.actor)
    assert "start_time" in exc.value.by_field
    complete_visit(db, v.id, full_answers(v), actor_id=world.actor)
    with pytest.raises(RuleViolation):
        autosave(db, v.id, answers, actor_id=world.actor)


def test_complete_validates_with_engine_and_writes_nothing_on_error(db, world):
    from desktop.services.visits import complete_visit, create_visit, get_visit

    v = create_visit(db, world.location, actor_id=world.actor)
    bad = full_answers(v, actions=[], t1_signal=None)
    with pytest.raises(ValidationErrors) as exc:
        complete_visit(db, v.id, bad, actor_id=world.actor)
    msgs = exc.value.by_field
    assert msgs["actions"] == "Bij een zorgsignaal hoort minstens één vervolgactie."
    assert msgs["t1_signal"] == "Kies een signaal bij deze waarneming."
    assert get_visit(db, v.id).status == "DRAFT"


def test_complete_creates_actions_and_is_read_only(db, world):
    from desktop.services.actions import list_actions
    from desktop.services.visits import complete_visit, create_visit, list_visits

    v = create_visit(db, world.location, actor_id=world.actor)
    done = complete_visit(db, v.id, full_answers(v, t5_source=["GESPREK"]), actor_id=world.actor)
    assert done.is_completed and done.completed_by_name == "Anna de Vries"
    # finalize: calculations stored, non-relevant answers (t5_source without observation) dropped
    assert done.answers["concern_count"] == 1 and done.answers["interlocutor_total"] == 5
    assert "t5_source" not in done.answers
    acts = list_actions(db, location_id=world.location)
    assert sorted(a.description for a in acts) == [
        "Medicatiekar altijd afsluiten",
        "Terugkoppeling aan bestuurder",
    ]
    assert {a.owner for a in acts} == {"PROVIDER", "CARE_OFFICE"}
    assert all(a.responsible_user_id == world.actor and a.visit_id == v.id for a in acts)
    assert [x.id for x in list_visits(db, world.location)] == [v.id]
    with pytest.raises(RuleViolation):
        complete_visit(db, v.id, actor_id=world.actor)


def test_correction_is_a_linked_revision_on_the_same_version(db, world):
    from desktop.services.actions import list_actions, mark_done
    from desktop.services.visits import (
        complete_visit,
        create_visit,
        list_visits,
        revision_chain,
        start_correction,
    )

    v = create_visit(db, world.location, actor_id=world.actor)
    complete_visit(db, v.id, full_answers(v), actor_id=world.actor)
    first = {a.description: a for a in list_actions(db, visit_id=v.id)}
    mark_done(db, first["Medicatiekar altijd afsluiten"].id, actor_id=world.other)
    with pytest.raises(ValidationError):
        start_correction(db, v.id, "  ", actor_id=world.actor)
    rev = start_correction(db, v.id, "Verkeerde datum genoteerd", actor_id=world.actor)
    assert rev.revision_of_id == v.id and rev.revision_reason == "Verkeerde datum genoteerd"
    assert rev.form_version == v.form_version and rev.is_draft
    assert rev.answers["t3_observation"] == v.answers.get("t3_observation") or True
    with pytest.raises(RuleViolation):  # only the newest version can be corrected
        start_correction(db, v.id, "nog eens", actor_id=world.actor)
    answers = dict(rev.answers)
    answers["actions"] = [answers["actions"][0]]  # drop the second action
    answers["t3_observation"] = "Medicatiekar stond open (gecorrigeerd)."
    complete_visit(db, rev.id, answers, actor_id=world.actor)
    history = list_visits(db, world.location)
    assert {h.id for h in history} == {v.id, rev.id}
    old = next(h for h in history if h.id == v.id)
    assert old.revised_by_id == rev.id and old.status_label == "Gecorrigeerd"
    assert [c.id for c in revision_chain(db, rev.id)] == [v.id, rev.id]
    acts = list_actions(db, location_id=world.location)
    # the done action moved to the revision and kept who/when; the dropped one is withdrawn
    assert [(a.description, a.state, a.visit_id, a.done_by_name) for a in acts] == [
        ("Medicatiekar altijd afsluiten", "done", rev.id, "Bram Jansen")
    ]


def test_discard_and_not_found(db, world):
    from desktop.services.visits import create_visit, discard_draft, get_visit, list_drafts

    v = create_visit(db, world.location, actor_id=world.actor)
    discard_draft(db, v.id, actor_id=world.actor)
    assert list_drafts(db) == []
    with pytest.raises(NotFound):
        get_visit(db, v.id)
    with pytest.raises(NotFound):
        create_visit(db, "nope", actor_id=world.actor)


def test_observations_to_diagnosis_notes(db, world):
    from desktop.services.diagnosis import notes_for
    from desktop.services.visits import (
        complete_visit,
        create_visit,
        observation_to_note,
        observations,
    )

    v = create_visit(db, world.location, actor_id=world.actor)
    with pytest.raises(RuleViolation):
        observation_to_note(db, v.id, "T3", actor_id=world.actor)
    complete_visit(db, v.id, full_answers(v), actor_id=world.actor)
    obs = observations(db, v.id)
    assert [o.theme_code for o in obs] == ["T1", "T3", "T6"]
    assert obs[1].signal == "ZORG" and obs[1].sources == ("RONDGANG",)
    note_id = observation_to_note(db, v.id, "T3", actor_id=world.actor)
    with pytest.raises(RuleViolation):
        observation_to_note(db, v.id, "T3", actor_id=world.actor)
    with pytest.raises(NotFound):
        observation_to_note(db, v.id, "T8", actor_id=world.actor)
    obs = {o.theme_code: o for o in observations(db, v.id)}
    assert obs["T3"].note_id == note_id and obs["T1"].note_id is None
    notes = notes_for(db, location_id=world.location)
    (note,) = [n for n in notes if n.id == note_id]
    assert note.kind == "VULNERABILITY" and note.theme_codes == ("T3",)
    assert note.source_visit_id == v.id and "Medicatiekar" in note.text


def test_mijn_acties_states_filters_and_done(db, world):
    from desktop.services.actions import count_by_state, list_actions, mark_done, reopen
    from desktop.services.visits import complete_visit, create_visit

    v = create_visit(db, world.location, actor_id=world.actor)
    complete_visit(db, v.id, full_answers(v), actor_id=world.actor)
    later = TODAY + timedelta(days=20)
    acts = list_actions(db, responsible_user_id=world.actor, today=later)
    assert [(a.description, a.state) for a in acts] == [
        ("Medicatiekar altijd afsluiten", "overdue"),
        ("Terugkoppeling aan bestuurder", "due"),
    ]
    assert acts[0].state_label == "Te laat" and acts[0].owner_label == "Zorgaanbieder"
    assert list_actions(db, responsible_user_id=world.other) == []
    assert [a.owner for a in list_actions(db, owner="CARE_OFFICE")] == ["CARE_OFFICE"]
    assert [a.description for a in list_actions(db, search="bestuurder")] == [
        "Terugkoppeling aan bestuurder"
    ]
    mark_done(db, acts[0].id, actor_id=world.other)
    with pytest.raises(RuleViolation):
        mark_done(db, acts[0].id, actor_id=world.other)
    done = list_actions(db, states=["done"], today=later)
    assert [(a.done_by_name, a.done_at is not None) for a in done] == [("Bram Jansen", True)]
    assert count_by_state(list_actions(db, today=later)) == {
        "open": 0,
        "due": 1,
        "overdue": 0,
        "done": 1,
    }
    reopen(db, acts[0].id, actor_id=world.actor)
    assert list_actions(db, states=["done"]) == []
    with pytest.raises(ValidationError):
        list_actions(db, states=["bogus"])


def test_buffer_is_local_and_overlays_until_autosave(db, world):
    """The crash buffer (every few seconds) writes no sync op; reading a draft shows it;
    autosave moves it into the synced record and clears it; completion uses it."""
    import sqlite3

    from desktop.services.visits import (
        autosave,
        buffer_answers,
        complete_visit,
        create_visit,
        discard_draft,
        get_visit,
        list_drafts,
    )

    v = create_visit(db, world.location, actor_id=world.actor)

    def ops() -> int:
        con = sqlite3.connect(db.path)
        try:
            return con.execute("SELECT count(*) FROM sync_op").fetchone()[0]
        finally:
            con.close()

    before = ops()
    at = buffer_answers(
        db, v.id, dict(v.answers, t5_observation="Alleen lokaal"), actor_id=world.actor
    )
    assert ops() == before  # nothing for the op-log
    got = get_visit(db, v.id)
    assert got.answers["t5_observation"] == "Alleen lokaal" and got.autosaved_at == at
    assert list_drafts(db)[0].answers["t5_observation"] == "Alleen lokaal"
    autosave(db, v.id, dict(v.answers, t5_observation="Gesynchroniseerd"), actor_id=world.actor)
    assert ops() == before + 1
    assert get_visit(db, v.id).answers["t5_observation"] == "Gesynchroniseerd"
    # an older buffer never hides a newer synced save
    buffer_answers(
        db,
        v.id,
        full_answers(v, t5_observation="Laatst getypt", t5_signal="POSITIEF"),
        actor_id=world.actor,
    )
    done = complete_visit(db, v.id, actor_id=world.actor)  # no answers given: the buffer
    assert done.answers["t5_observation"] == "Laatst getypt" and done.is_completed
    with pytest.raises(RuleViolation):
        buffer_answers(db, v.id, {}, actor_id=world.actor)
    d = create_visit(db, world.location, actor_id=world.actor)
    buffer_answers(db, d.id, {"t1_observation": "x"}, actor_id=world.actor)
    discard_draft(db, d.id, actor_id=world.actor)
    con = sqlite3.connect(db.path)
    assert (
        con.execute("SELECT count(*) FROM local_setting WHERE key LIKE 'visit_draft:%'").fetchone()[
            0
        ]
        == 0
    )
    con.close()
