"""Theme assessments and the kwaliteitsdiagnose, driven through the services.

`make_world` (tiny hand-made data) is shared with tests/test_regional.py, test_search.py and
test_diagnosis_ui.py.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from site_visit_helpers import completed_visit

from db.errors import RuleViolation, ValidationError, ValidationErrors


def make_world(db, users):  # type: ignore[no-untyped-def]
    """Two providers, three locations in region 'Utrecht', one in another region."""
    from sqlmodel import select

    from db.models import Location, Provider, Region
    from db.repo import UnitOfWork

    actor = users["advisor"].id
    with UnitOfWork(db, actor) as uow:
        regions = {r.name: r for r in uow.exec(select(Region))}
        utrecht = next(r for name, r in regions.items() if "Utrecht" in name)
        other = next(r for name, r in regions.items() if r.id != utrecht.id)
        p1 = uow.add(Provider(name="Zorggroep De Linde", kvk_number="12345678"))
        p2 = uow.add(Provider(name="Stichting Ühlenbeck", kvk_number="87654321"))
        l1 = uow.add(
            Location(
                provider_id=p1.id, region_id=utrecht.id, name="Huize De Linde", place="Utrecht"
            )
        )
        l2 = uow.add(
            Location(provider_id=p1.id, region_id=utrecht.id, name="De Beuk", place="Zeist")
        )
        l3 = uow.add(
            Location(provider_id=p2.id, region_id=utrecht.id, name="Het Anker", place="Houten")
        )
        l4 = uow.add(Location(provider_id=p2.id, region_id=other.id, name="Elders", place="Ergens"))
        ids = SimpleNamespace(
            region=utrecht.id,
            region_name=utrecht.name,
            other_region=other.id,
            p1=p1.id,
            p2=p2.id,
            l1=l1.id,
            l2=l2.id,
            l3=l3.id,
            l4=l4.id,
            actor=actor,
        )
    return ids


def assess(
    db,
    w,
    loc,
    theme,
    rating,
    year,
    rationale="Onderbouwing van het oordeel.",  # type: ignore[no-untyped-def]
    on=None,
    **kw,
):
    from desktop.services.themes import record_assessment

    return record_assessment(
        db,
        location_id=loc,
        theme_code=theme,
        rating=rating,
        rationale=rationale,
        sources=kw.pop("sources", ["QUALITY_REPORT"]),
        actor_id=w.actor,
        period_year=year,
        assessed_on=on or date(year, 6, 1),
        **kw,
    )


_TEMPLATE: dict = {}


def _template(tmp_root):  # type: ignore[no-untyped-def]
    """Schema + reference data + a colleague + make_world, built once per test process."""
    if "path" not in _TEMPLATE:
        from desktop.services.database import open_database
        from desktop.services.users import create_user

        path = tmp_root / "themes_template.sqlite"
        tdb = open_database(path)
        advisor = create_user(tdb, name="Bram Jansen", initials="BJ", roles=["QUALITY_ADVISOR"])
        _TEMPLATE.update(path=path, world=make_world(tdb, {"advisor": advisor}), advisor=advisor)
        tdb.dispose()
    return _TEMPLATE


@pytest.fixture
def db(db_path, tmp_path_factory):  # type: ignore[no-untyped-def]
    """A private copy of the template database (much faster than building one per test)."""
    import sqlite3

    from desktop.services.database import open_database

    t = _template(tmp_path_factory.getbasetemp())
    src, dst = sqlite3.connect(str(t["path"])), sqlite3.connect(str(db_path))
    src.backup(dst)
    src.close()
    dst.close()
    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    from copy import copy

    return copy(_TEMPLATE["world"])


def test_rating_scale_comes_from_reference_with_quality_definitions():
    from desktop.services.themes import ratings, sources

    codes = [r.code for r in ratings()]
    assert codes == ["GOOD", "SUFFICIENT", "MODERATE", "INSUFFICIENT"]
    assert all("locatie" in r.definition for r in ratings())  # reworded for quality of care
    assert ("WOL_SCAN", "Wol-scan") in sources()
    assert len({r.symbol for r in ratings()}) == 4  # readable without colour


def test_new_assessment_supersedes_previous_and_history_is_kept(db, world):
    from desktop.services.themes import assessment_history, current_assessments

    first = assess(db, world, world.l1, "T6", "MODERATE", 2024)
    second = assess(
        db,
        world,
        world.l1,
        "T6",
        "SUFFICIENT",
        2025,
        subtheme_ratings={"T6.1": "SUFFICIENT", "T6.2": "MODERATE"},
    )
    assert second.supersedes_id == first.id
    hist = assessment_history(db, world.l1, "T6")
    assert [a.rating for a in hist] == ["SUFFICIENT", "MODERATE"]
    assert hist[1].superseded and not hist[0].superseded
    assert hist[0].author_name == "Bram Jansen"
    assert dict(hist[0].subtheme_ratings) == {"T6.1": "SUFFICIENT", "T6.2": "MODERATE"}
    assert current_assessments(db, world.l1)["T6"].id == second.id


def test_assessment_requires_rationale_sources_and_valid_rating(db, world):
    from desktop.services.themes import record_assessment

    with pytest.raises(ValidationErrors) as exc:
        record_assessment(
            db,
            location_id=world.l1,
            theme_code="T1",
            rating="",
            rationale=" ",
            sources=[],
            actor_id=world.actor,
        )
    by_field = exc.value.by_field
    assert set(by_field) == {"rating", "rationale", "sources"}
    assert "verplicht" in by_field["rationale"]
    with pytest.raises(ValidationError) as one:
        assess(db, world, world.l1, "T1", "GOOD", 2025, on=date.today() + timedelta(days=3))
    assert one.value.field == "assessed_on"
    with pytest.raises(ValidationError) as sub:
        assess(db, world, world.l1, "T1", "GOOD", 2025, subtheme_ratings={"T3.1": "GOOD"})
    assert sub.value.field == "subtheme_ratings"


def test_note_lifecycle_edit_delete_lock(db, world):
    from desktop.services.diagnosis import add_note, delete_note, edit_note, lock_notes, notes_for

    n = add_note(
        db,
        provider_id=world.p1,
        location_id=world.l1,
        kind="SIGNAL",
        theme_codes=["T3", "T1"],
        text="Signaal over medicatie.",
        actor_id=world.actor,
        noted_on=date(2025, 3, 1),
    )
    assert n.theme_codes == ("T1", "T3")  # theme order
    n2 = edit_note(
        db,
        n.id,
        actor_id=world.actor,
        kind="VULNERABILITY",
        text="Kwetsbaar: medicatie.",
        theme_codes=["T3"],
        noted_on=date(2025, 3, 1),
    )
    assert n2.kind_label == "Kwetsbaarheid"
    with pytest.raises(ValidationError) as exc:
        add_note(db, provider_id=world.p1, kind="SIGNAL", text="  ", actor_id=world.actor)
    assert exc.value.field == "text"
    lock_notes(db, [n.id], request_id=_request(db, world), actor_id=world.actor)
    with pytest.raises(RuleViolation):
        edit_note(db, n.id, actor_id=world.actor, kind="SIGNAL", text="x")
    with pytest.raises(RuleViolation):
        delete_note(db, n.id, actor_id=world.actor)
    other = add_note(
        db,
        provider_id=world.p1,
        location_id=world.l1,
        kind="STRENGTH",
        text="Sterk team.",
        actor_id=world.actor,
    )
    delete_note(db, other.id, actor_id=world.actor)
    history = notes_for(db, location_id=world.l1)
    deleted = [x for x in history if x.id == other.id][0]
    assert deleted.deleted_at is not None and not deleted.editable
    assert [x.id for x in notes_for(db, location_id=world.l1, include_deleted=False)] == [n.id]


def _request(db, world):  # type: ignore[no-untyped-def]
    """An approved decision to lock notes with (the FK needs a real budget_request row)."""
    from decimal import Decimal

    from sqlmodel import select

    from db.models import BudgetRequest, CareOffice
    from db.repo import UnitOfWork

    with UnitOfWork(db, world.actor) as uow:
        office = uow.exec(select(CareOffice)).first()
        obj = uow.add(
            BudgetRequest(
                provider_id=world.p1,
                care_office_id=office.id,
                region_id=world.region,
                budget_year=2026,
                received_date=date(2026, 3, 1),
                initial_reserved_amount=Decimal("1000"),
                requested_total=Decimal("1000"),
                requested_staff_amount=Decimal("850"),
                requested_other_amount=Decimal("150"),
                author_id=world.actor,
                state="DECIDED",
                decision="APPROVED",
            )
        )
        return obj.id


def test_top_three_only_improvement_points_at_most_three(db, world):
    from desktop.services.diagnosis import add_note, location_diagnosis, set_top_priorities

    ids = [
        add_note(
            db,
            provider_id=world.p1,
            location_id=world.l1,
            kind="IMPROVEMENT_POINT",
            theme_codes=["T4"],
            text=f"Verbeterpunt {i}",
            actor_id=world.actor,
        ).id
        for i in range(4)
    ]
    strength = add_note(
        db,
        provider_id=world.p1,
        location_id=world.l1,
        kind="STRENGTH",
        text="Sterk punt",
        actor_id=world.actor,
    ).id
    with pytest.raises(ValidationError, match="hoogstens drie"):
        set_top_priorities(db, ids, location_id=world.l1, actor_id=world.actor)
    with pytest.raises(ValidationError, match="Alleen verbeterpunten"):
        set_top_priorities(db, [strength], location_id=world.l1, actor_id=world.actor)
    set_top_priorities(db, [ids[2], ids[0], ids[1]], location_id=world.l1, actor_id=world.actor)
    set_top_priorities(db, [ids[3], ids[2]], location_id=world.l1, actor_id=world.actor)
    d = location_diagnosis(db, world.l1)
    assert [n.id for n in d.top_three] == [ids[3], ids[2]]
    assert [n.top_priority for n in d.top_three] == [1, 2]


def test_location_diagnosis_trend_changes_since_visit_and_disagreement(db, world):
    from desktop.services.diagnosis import add_note, location_diagnosis

    assess(db, world, world.l1, "T3", "SUFFICIENT", 2023)
    assess(db, world, world.l1, "T3", "MODERATE", 2024)
    completed_visit(
        db,
        world.actor,
        world.l1,
        date(2025, 1, 15),
        {
            "t3_observation": "Medicatie goed op orde, dubbele controle.",
            "t3_signal": "POSITIEF",
            "t6_signal": "ZORG",
        },
    )
    assess(db, world, world.l1, "T3", "INSUFFICIENT", 2025, on=date(2025, 2, 1))
    assess(db, world, world.l1, "T6", "GOOD", 2025, on=date(2025, 2, 1))
    add_note(
        db,
        provider_id=world.p1,
        location_id=world.l1,
        kind="SIGNAL",
        theme_codes=["T6"],
        text="Hoog verzuim in team West.",
        noted_on=date(2025, 2, 3),
        actor_id=world.actor,
    )
    d = location_diagnosis(db, world.l1)
    t3 = d.themes[2]
    assert t3.current.rating == "INSUFFICIENT"
    assert t3.trend == ((2023, "SUFFICIENT"), (2024, "MODERATE"), (2025, "INSUFFICIENT"))
    assert t3.direction == -1
    assert t3.disagreement and "positief" in t3.disagreement
    assert d.themes[5].disagreement and "zorg" in d.themes[5].disagreement
    assert d.last_visit.visit_date == date(2025, 1, 15)
    texts = [c.text for c in d.changes]
    assert "Nieuw oordeel onvoldoende (was matig)" in texts
    assert any("Hoog verzuim" in t for t in texts)
    assert d.themes[5].notes[0].text == "Hoog verzuim in team West."
    assert d.themes[0].current is None


def test_provider_diagnosis_distribution(db, world):
    from desktop.services.diagnosis import add_note, provider_diagnosis

    assess(db, world, world.l1, "T1", "GOOD", 2025)
    assess(db, world, world.l2, "T1", "MODERATE", 2025)
    add_note(
        db,
        provider_id=world.p1,
        kind="IMPROVEMENT_POINT",
        theme_codes=["T5"],
        text="Bestuur: visie op zorg uitwerken.",
        actor_id=world.actor,
    )
    d = provider_diagnosis(db, world.p1)
    assert [r.name for r in d.locations] == ["De Beuk", "Huize De Linde"]
    t1 = d.themes[0]
    assert dict(t1.distribution) == {"GOOD": 1, "SUFFICIENT": 0, "MODERATE": 1, "INSUFFICIENT": 0}
    assert d.themes[4].notes[0].text.startswith("Bestuur")


def test_approval_locks_all_live_notes_of_the_provider(db, world):
    from db.repo import UnitOfWork
    from desktop.services.diagnosis import add_note, edit_note, lock_provider_notes_in, notes_for

    a = add_note(
        db,
        provider_id=world.p1,
        location_id=world.l2,
        kind="SIGNAL",
        text="Signaal A.",
        actor_id=world.actor,
    )
    b = add_note(
        db, provider_id=world.p1, kind="STRENGTH", text="Sterk bestuur.", actor_id=world.actor
    )
    other = add_note(
        db, provider_id=world.p2, kind="SIGNAL", text="Andere aanbieder.", actor_id=world.actor
    )
    request_id = _request(db, world)
    with UnitOfWork(db, world.actor) as uow:
        assert lock_provider_notes_in(uow, world.p1, request_id) == 2
    assert all(n.locked for n in notes_for(db, location_id=world.l2))
    assert all(n.locked for n in notes_for(db, provider_id=world.p1))
    with pytest.raises(RuleViolation):
        edit_note(db, b.id, actor_id=world.actor, kind="STRENGTH", text="x")
    assert not notes_for(db, provider_id=world.p2)[0].locked and other.id and a.id
