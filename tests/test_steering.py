"""Steering on outcomes (issue 17): quadrant classification on a constructed region, decision
targets in the effect view, agreements checked from a visit, missed agreements suggesting an
intervention, the escalation ladder on Mijn acties, and the CLI."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from site_visit_helpers import completed_visit
from test_requests_helpers import _request_template, db, db_path, users, world  # noqa: F401

from db.errors import RuleViolation, ValidationError, ValidationErrors
from db.models import BudgetRequest, Location, Provider, SiteVisit
from db.repo import UnitOfWork


def _assess(db, actor, loc, theme, rating, year):  # type: ignore[no-untyped-def]
    from desktop.services.themes import record_assessment

    return record_assessment(
        db,
        location_id=loc,
        theme_code=theme,
        rating=rating,
        rationale="Onderbouwing van het oordeel.",
        sources=["QUALITY_REPORT"],
        actor_id=actor,
        period_year=year,
        assessed_on=date(year, 6, 1),
    )


def evening_shift_agreement(db, actor, provider_id, **extra):  # type: ignore[no-untyped-def]
    """An agreement on T6 (fixed faces in the evening shift), due 1 March 2026, by interview."""
    from desktop.services.steering.agreements import create_agreement

    return create_agreement(
        db,
        provider_id=provider_id,
        actor_id=actor,
        theme_codes=["T6"],
        target_change="Vaste gezichten in de avonddienst",
        due_date="01-03-2026",
        check_method="GESPREK",
        **extra,
    )


def _grant(db, actor, world, provider_id, year, total):  # type: ignore[no-untyped-def]
    """An approved 85/15 request of `total` euros for `provider_id` in `year`."""
    with UnitOfWork(db, actor) as uow:
        staff = Decimal(total) * Decimal("0.85")
        return uow.add(
            BudgetRequest(
                provider_id=provider_id,
                care_office_id=world.care_office_id,
                region_id=world.region_id,
                budget_year=year,
                received_date=date(year - 1, 11, 1),
                initial_reserved_amount=Decimal(total),
                requested_total=Decimal(total),
                requested_staff_amount=staff,
                requested_other_amount=Decimal(total) - staff,
                approved_total=Decimal(total),
                approved_staff_amount=staff,
                approved_other_amount=Decimal(total) - staff,
                decision="APPROVED",
                state="ADDENDUM_SIGNED",
                author_id=actor,
            )
        ).id


@dataclass
class Region:
    region_id: str
    p: dict[str, str]  # key -> provider id
    loc: dict[str, str]  # key -> location id


@pytest.fixture
def region(db, users, world):  # type: ignore[no-untyped-def]
    """Four providers in one region, one location of 100 places each:
    A urgent + little money, B good + much money, C urgent + much money, D good + little."""
    actor = users["purchaser"].id
    p, loc = {}, {}
    with UnitOfWork(db, actor) as uow:
        for key in "ABCD":
            prov = uow.add(Provider(name=f"Zorggroep {key}"))
            p[key] = prov.id
            loc[key] = uow.add(
                Location(
                    provider_id=prov.id,
                    region_id=world.region_id,
                    name=f"Locatie {key}",
                    capacity=100,
                )
            ).id
    for key, ratings in {
        "A": ("INSUFFICIENT", "MODERATE"),
        "B": ("GOOD", "GOOD"),
        "C": ("MODERATE", "MODERATE"),
        "D": ("SUFFICIENT", "GOOD"),
    }.items():
        _assess(db, actor, loc[key], "T3", ratings[0], 2025)
        _assess(db, actor, loc[key], "T6", ratings[1], 2025)
    for key, amount in {"A": 500_000, "B": 2_000_000, "C": 1_800_000, "D": 600_000}.items():
        _grant(db, actor, world, p[key], 2025, amount)
    return Region(world.region_id, p, loc)


def test_quadrants_on_a_constructed_region(db, region):  # type: ignore[no-untyped-def]
    from desktop.services.steering.allocation import allocation

    a = allocation(db, region_id=region.region_id, year=2025, today=date(2025, 12, 1))
    by = {r.location_id: r for r in a.rows}
    # median of 5,000 / 6,000 / 18,000 / 20,000 per client = 12,000
    assert a.threshold == Decimal("12000.00")
    assert by[region.loc["A"]].per_client == Decimal("5000.00")
    assert by[region.loc["A"]].quadrant == "URGENT_LOW" and by[region.loc["A"]].highlighted
    assert by[region.loc["B"]].quadrant == "GOOD_HIGH" and by[region.loc["B"]].highlighted
    assert by[region.loc["C"]].quadrant == "URGENT_HIGH" and not by[region.loc["C"]].highlighted
    assert by[region.loc["D"]].quadrant == "GOOD_LOW"
    # the world's own location has no rating and no money: no quadrant
    assert a.count("NO_DATA") == 1
    # the quadrant that matters comes first
    assert a.rows[0].location_id == region.loc["A"]
    assert by[region.loc["A"]].weak_themes == ("T3", "T6")


def test_a_decision_naming_its_themes_appears_in_the_effect_view(db, users, world, region):  # type: ignore[no-untyped-def]
    from desktop.services.steering.effect import effect_to_dict, provider_effect
    from desktop.services.steering.targets import decision_targets, set_decision_targets

    actor = users["purchaser"].id
    _assess(db, actor, region.loc["C"], "T3", "INSUFFICIENT", 2024)
    _assess(db, actor, region.loc["C"], "T3", "GOOD", 2026)
    request_id = _grant(db, actor, world, region.p["C"], 2026, 1_900_000)
    before = provider_effect(db, region.p["C"], today=date(2026, 12, 1)).theme("T3")
    assert not before.targeted and before.invest_years == ()
    assert set_decision_targets(db, request_id, ["T6", "T3"], actor_id=actor) == ("T3", "T6")
    assert decision_targets(db, request_id) == (("T3", "T6"), ())
    e = provider_effect(db, region.p["C"], today=date(2026, 12, 1))
    t3 = e.theme("T3")
    assert t3.targeted and t3.invest_years == (2026,)
    row = t3.locations[0]
    assert row.before == (2025, "MODERATE") and row.after == (2026, "GOOD") and row.change == 2
    assert t3.verdict == "Verbeterd op 1 van 1 locaties."
    assert not e.theme("T1").targeted
    d = effect_to_dict(e)
    assert [t["code"] for t in d["themes"] if t["targeted"]] == ["T3", "T6"]
    with pytest.raises(ValidationError):
        set_decision_targets(db, request_id, ["T9"], actor_id=actor)


def test_merkbaar_meetbaar_voelbaar_counted_per_theme(db, users, world, region):  # type: ignore[no-untyped-def]
    from db.models import LocationImprovementItem, QualityPlan
    from desktop.services.steering.effect import provider_effect

    actor = users["purchaser"].id
    with UnitOfWork(db, actor) as uow:
        plan = uow.add(QualityPlan(provider_id=region.p["A"], year=2025))
        uow.add(
            LocationImprovementItem(
                quality_plan_id=plan.id,
                location_id=region.loc["A"],
                theme_code="T3",
                what="Dubbele controle bij medicatie",
            )
        )
        uow.add(
            SiteVisit(
                location_id=region.loc["A"],
                form_id="locatiebezoek",
                form_version="2026112301",
                status="COMPLETED",
                visit_date=date(2025, 10, 1),
                author_id=actor,
                answers={
                    "plan_progress": [
                        {
                            "progress_item": "Dubbele controle bij medicatie",
                            "progress_status": "LOOPT",
                            "progress_effect": ["MERKBAAR", "VOELBAAR"],
                        },
                        {"progress_item": "Iets zonder plan", "progress_status": "LOOPT"},
                    ]
                },
            )
        )
    e = provider_effect(db, region.p["A"], today=date(2025, 12, 1))
    assert e.theme("T3").effects == {"MERKBAAR": 1, "MEETBAAR": 0, "VOELBAAR": 1}
    assert e.theme("T3").items_judged == 1 and e.unlinked_items == 1
    assert any("niet aan een thema te koppelen" in n for n in e.notes)


def test_agreement_checked_from_a_visit_and_by_hand(db, users, world, region):  # type: ignore[no-untyped-def]
    from desktop.services.steering.agreements import (
        agreements_for_visit,
        check_agreement,
        create_agreement,
    )

    actor = users["purchaser"].id
    with pytest.raises(ValidationErrors) as exc:
        create_agreement(
            db,
            provider_id=region.p["A"],
            actor_id=actor,
            theme_codes=[],
            due_date="31-02-2026",
            check_method="FAX",
        )
    assert {e.field for e in exc.value.errors} >= {
        "theme_codes",
        "due_date",
        "check_method",
        "target_change",
    }
    with pytest.raises(ValidationError, match="locaties van deze zorgaanbieder"):
        create_agreement(
            db,
            provider_id=region.p["A"],
            actor_id=actor,
            theme_codes=["T3"],
            location_ids=[region.loc["B"]],
            target_rating="SUFFICIENT",
            due_date="01-06-2026",
            check_method="BEZOEK",
        )
    a = create_agreement(
        db,
        provider_id=region.p["A"],
        actor_id=actor,
        theme_codes=["T3"],
        location_ids=[region.loc["A"]],
        target_rating="SUFFICIENT",
        target_change="Dubbele controle bij risicovolle medicatie op alle afdelingen",
        due_date="01-06-2026",
        check_method="BEZOEK",
    )
    assert a.status == "OPEN" and a.result_text.startswith("minimaal voldoende")
    visit, other = [  # a completed visit at A (the agreement's location) and at B
        completed_visit(db, actor, region.loc[key], date(2026, 6, 3), {}) for key in ("A", "B")
    ]
    assert [x.id for x in agreements_for_visit(db, visit)] == [a.id]
    assert agreements_for_visit(db, other) == []
    with pytest.raises(ValidationError, match="hoort niet bij"):
        check_agreement(db, a.id, outcome="MET", actor_id=actor, visit_id=other)
    got = check_agreement(
        db,
        a.id,
        outcome="PARTLY",
        actor_id=actor,
        visit_id=visit,
        note="Op twee van de drie afdelingen.",
    )
    assert got.status == "PARTLY" and got.checks[-1].checked_on == date(2026, 6, 3)
    assert got.checks[-1].source_label.startswith("bezoek")
    got = check_agreement(db, a.id, outcome="MET", actor_id=actor, checked_on="15-07-2026")
    assert [c.outcome for c in got.checks] == ["PARTLY", "MET"] and got.status == "MET"
    assert got.checks[-1].source_label == "handmatig"


def test_a_missed_agreement_shows_as_missed_and_suggests_an_intervention(db, users, world, region):  # type: ignore[no-untyped-def]
    from desktop.services.steering.agreements import check_agreement
    from desktop.services.steering.effect import provider_effect
    from desktop.services.steering.signals import signals

    actor = users["purchaser"].id
    a = evening_shift_agreement(db, actor, region.p["C"])
    assert not [
        s
        for s in signals(db, provider_id=region.p["C"])
        if s.agreement_id == a.id and s.kind == "MISSED"
    ]
    missed = check_agreement(db, a.id, outcome="MISSED", actor_id=actor, checked_on="02-03-2026")
    assert missed.status_label == "Niet behaald"
    t6 = provider_effect(db, region.p["C"]).theme("T6")
    assert t6.agreements_missed == 1 and t6.agreements_met == 0
    sig = [s for s in signals(db, provider_id=region.p["C"]) if s.agreement_id == a.id]
    assert len(sig) == 1 and sig[0].kind == "MISSED" and sig[0].suggested_step == "VERBETERPLAN"
    assert "niet behaald" in sig[0].text.lower()


def test_persistent_concern_with_money_is_a_signal(db, users, world, region):  # type: ignore[no-untyped-def]
    from desktop.services.steering.signals import signals

    actor = users["purchaser"].id
    _assess(db, actor, region.loc["A"], "T3", "MODERATE", 2026)  # 2025 onvoldoende, 2026 matig
    _assess(db, actor, region.loc["D"], "T3", "MODERATE", 2026)  # 2025 voldoende: not persistent
    got = [s for s in signals(db) if s.kind == "PERSISTENT"]
    assert [(s.location_id, s.theme_codes) for s in got] == [(region.loc["A"], ("T3",))]
    assert "onvoldoende in 2025, matig in 2026" in got[0].text


def test_escalation_ladder_with_follow_up_on_mijn_acties(db, users, world, region):  # type: ignore[no-untyped-def]
    from desktop.services.actions import list_actions
    from desktop.services.steering.interventions import (
        close_intervention,
        escalate,
        list_interventions,
        start_intervention,
    )

    actor, lead = users["purchaser"].id, users["lead"].id
    today = date.today()
    with pytest.raises(ValidationError, match="termijn"):
        start_intervention(
            db,
            provider_id=region.p["C"],
            step="VERBETERPLAN",
            actor_id=actor,
            description="Verbeterplan T6",
        )
    first = start_intervention(
        db,
        provider_id=region.p["C"],
        step="GESPREK",
        actor_id=actor,
        owner_id=lead,
        description="Gesprek met de bestuurder over T6.",
        follow_up_on=today + timedelta(days=10),
        theme_codes_=["T6"],
    )
    mine = list_actions(db, responsible_user_id=lead)
    assert [a.id for a in mine] == [first.follow_up_action_id] and mine[0].state == "due"
    assert "Interventie Zorggroep C" in mine[0].description
    second = escalate(
        db,
        first.id,
        actor_id=actor,
        description="Verbeterplan binnen acht weken.",
        owner_id=lead,
        deadline=today + timedelta(days=56),
        follow_up_on=today + timedelta(days=60),
    )
    assert second.step == "VERBETERPLAN" and second.theme_codes == ("T6",)
    assert second.escalated_from_id == first.id
    states = {a.id: a.state for a in list_actions(db, responsible_user_id=lead)}
    assert states == {first.follow_up_action_id: "done", second.follow_up_action_id: "open"}
    with pytest.raises(RuleViolation):
        escalate(db, first.id, actor_id=actor, description="Nog eens")
    third = escalate(
        db,
        second.id,
        actor_id=actor,
        step="CONSEQUENTIES",
        description="Korting op het kwaliteitsbudget.",
        igj_reported_on=today,
        igj_note="Melding gedaan wegens aanhoudende zorgen.",
    )
    assert third.step_number == 4 and third.igj_reported_on == today
    with pytest.raises(RuleViolation, match="zwaarste"):
        escalate(db, third.id, actor_id=actor, description="Verder")
    closed = close_intervention(db, third.id, actor_id=actor, outcome="Afspraken nagekomen.")
    assert closed.status == "CLOSED"
    ladder = list_interventions(db, provider_id=region.p["C"])
    assert [i.status for i in ladder] == ["CLOSED", "ESCALATED", "ESCALATED"]
    assert list_interventions(db, open_only=True) == []


def test_regional_effect_summary(db, users, world, region):  # type: ignore[no-untyped-def]
    from desktop.services.steering.effect import regional_effect
    from desktop.services.steering.targets import set_decision_targets

    actor = users["purchaser"].id
    rid = _grant(db, actor, world, region.p["A"], 2026, 900_000)
    set_decision_targets(db, rid, ["T3"], actor_id=actor)
    _assess(db, actor, region.loc["A"], "T3", "SUFFICIENT", 2026)
    r = regional_effect(db, region.region_id, 2026)
    assert r.invested == Decimal("900000") and r.providers == 1
    t3 = next(t for t in r.themes if t.code == "T3")
    assert (t3.providers, t3.improved, t3.same, t3.worsened) == (1, 1, 0, 0)
    # the other seven themes have no rating from 2026 on: not counted as same, but unknown
    assert (r.untargeted.improved, r.untargeted.same, r.untargeted.unknown) == (0, 0, 7)


def test_cli_steering_effect_interventions(db, users, world, region, capsys):  # type: ignore[no-untyped-def]
    from desktop.cli import main
    from desktop.services.regional import list_regions
    from desktop.services.steering.interventions import start_intervention

    start_intervention(
        db,
        provider_id=region.p["A"],
        step="GESPREK",
        actor_id=users["purchaser"].id,
        description="Gesprek over T3.",
        theme_codes_=["T3"],
    )
    name = next(r.name for r in list_regions(db.path) if r.id == region.region_id)
    path = str(db.path)
    assert main(["steering", "--db", path, "--region", name, "--year", "2025", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    quads = {x["location"]: x["quadrant"] for x in data["locations"]}
    assert quads["Locatie A"] == "URGENT_LOW" and quads["Locatie B"] == "GOOD_HIGH"
    assert (
        data["median_per_client"] == "12000.00"
        and data["quadrants"]["URGENT_LOW"]["locations"] == 1
    )
    assert main(["effect", "--db", path, "--provider", "Zorggroep A", "--json"]) == 0
    eff = json.loads(capsys.readouterr().out)
    assert eff["provider"] == "Zorggroep A" and len(eff["themes"]) == 8 and eff["caveats"]
    assert main(["interventions", "list", "--db", path, "--json"]) == 0
    ivs = json.loads(capsys.readouterr().out)["interventions"]
    assert [(i["provider"], i["step"]) for i in ivs] == [("Zorggroep A", "GESPREK")]
    assert main(["effect", "--db", path, "--provider", "Zorggroep"]) == 1  # ambiguous
    assert "Meer dan één zorgaanbieder" in capsys.readouterr().err
