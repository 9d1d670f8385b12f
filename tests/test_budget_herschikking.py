"""Herschikking (R13, §4.2.11): a round per care office prefilled from the signals, never above
the approved request, ceilings kept, vier-ogen as a set, a herschikkingsbrief per change."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from budget_year_helpers import add_agreement
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select
from test_budget_monitoring import AS_OF, YEAR, _year
from test_requests_helpers import _request_template, db, db_path, users, world  # noqa: F401

from db.errors import RuleViolation, ValidationErrors
from desktop.services import review
from desktop.services.budget_year import herschikking as hs
from desktop.services.budget_year.agreements import agreements_in
from desktop.services.budget_year.herschikking_letter import letters
from desktop.services.ceiling import set_ceiling


def _agreed(db) -> dict[str, Decimal]:  # type: ignore[no-untyped-def]
    with db.read_session() as s:
        return {a.provider_name: a.agreed_total for a in agreements_in(s, YEAR)}


def test_round_prefilled_approved_as_a_set_and_letters(db, users, world, tmp_path) -> None:  # noqa: F811
    _year(db, users, world)
    by, lead = users["purchaser"].id, users["lead"].id
    r = hs.open_round(db, by, world.care_office_id, YEAR, as_of=AS_OF)
    rows = {p.provider_name: p for p in r.proposals}
    under, over = rows["Onderbesteder"], rows["Overschrijder"]
    assert under.new_total == Decimal("828000.00") and under.signal == "UNDERSPEND"
    assert "69%" in under.reason
    # freed 372.000 goes up to the overspender, but never above its request (1.200.000 here)
    assert over.new_total == Decimal("1200000.00")
    assert rows["Op Plan"].changed is False
    assert hs.open_round(db, by, world.care_office_id, YEAR).id == r.id  # one round per year
    # edit: above the request is refused at the field; a change needs a reason
    with pytest.raises(ValidationErrors) as exc:
        hs.update_proposal(
            db, by, over.id, new_staff="1.100.000,00", new_other="180.000,00", reason=""
        )
    assert "Meer dan aangevraagd" in exc.value.by_field["new_staff"]
    with pytest.raises(ValidationErrors) as exc:
        hs.update_proposal(
            db, by, rows["Op Plan"].id, new_staff="900.000,00", new_other="180.000,00", reason=""
        )
    assert "reden" in exc.value.by_field["reason"]
    hs.update_proposal(
        db,
        by,
        under.id,
        new_staff="731.000,00",
        new_other="129.000,00",
        reason="Na overleg: personeel stroomt in december in.",
    )
    assert _agreed(db)["Onderbesteder"] == Decimal("1200000.00")  # not before vier-ogen
    review.submit(db, hs.SUBJECT, r.id, by)
    with pytest.raises(RuleViolation):
        letters(db, r.id)  # definitive letters need the approval
    review.approve(db, hs.SUBJECT, r.id, lead)
    agreed = _agreed(db)
    assert agreed["Onderbesteder"] == Decimal("860000.00") and agreed["Overschrijder"] == Decimal(
        "1200000.00"
    )
    from desktop.services.budget_year.advances import advance_schedule

    sched = {r.provider_name: r for r in advance_schedule(db, YEAR).rows}
    # paid months stay; December brings the year to 75% of the new amount: 645.000 - 825.000 < 0
    assert sched["Onderbesteder"].months[:11] == (Decimal("75000.00"),) * 11
    assert sched["Onderbesteder"].months[11] == Decimal("0.00")
    assert sched["Overschrijder"].months[11] == Decimal("75000.00")  # unchanged agreement
    # a later edit voids the approval: the old agreement is back
    hs.update_proposal(
        db,
        by,
        under.id,
        new_staff="700.000,00",
        new_other="129.000,00",
        reason="Nog lager na nieuw overleg met de aanbieder.",
    )
    assert _agreed(db)["Onderbesteder"] == Decimal("1200000.00")
    review.submit(db, hs.SUBJECT, r.id, by)
    review.approve(db, hs.SUBJECT, r.id, lead)
    from desktop.services.letters.service import set_letterhead

    set_letterhead(db, world.care_office_id, lead, phone="070 123 45 67", email="inkoop@zk.example")
    made = letters(db, r.id, letter_date=date(2026, 11, 6))
    assert [m[0] for m in made] == ["Onderbesteder"]  # Overschrijder's request caps it at its total
    name, kenmerk, rendered = made[0]
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(rendered.pdf)
    out = Path(__file__).parents[1] / "out"
    out.mkdir(exist_ok=True)
    (out / "herschikkingsbrief.pdf").write_bytes(rendered.pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "herschikking kwaliteitsbudget 2026" in text and kenmerk in text
    assert "naar beneden" in text and "€ 1.200.000,00" in text and "€ 829.000,00" in text
    assert "Carla Bakker" in text and "Anna de Vries" in text  # maker and vier-ogen approver
    assert "Nog lager na nieuw overleg" in text


def test_ceiling_is_kept(db, users, world) -> None:  # noqa: F811
    by, lead = users["purchaser"].id, users["lead"].id
    for name in ("A", "B"):
        add_agreement(
            db,
            lead,
            world.region_id,
            name=name,
            total="500000.00",
            requested="800000.00",
            year=YEAR,
            decided_on=date(YEAR, 2, 1),
        )
    set_ceiling(db, world.care_office_id, YEAR, "1.100.000,00", lead)
    r = hs.open_round(db, by, world.care_office_id, YEAR, as_of=AS_OF)
    a, b = r.proposals
    hs.update_proposal(
        db,
        by,
        a.id,
        new_staff="595.000,00",
        new_other="105.000,00",
        reason="Omhoog: extra inzet afgesproken in overleg.",
    )
    with pytest.raises(RuleViolation, match="plafond van het zorgkantoor"):
        review.submit(db, hs.SUBJECT, r.id, by)
    hs.update_proposal(
        db,
        by,
        b.id,
        new_staff="340.000,00",
        new_other="60.000,00",
        reason="Omlaag: middelen niet besteed conform aanvraag.",
    )
    review.submit(db, hs.SUBJECT, r.id, by)
    review.approve(db, hs.SUBJECT, r.id, lead)
    assert sum(_agreed(db).values()) == Decimal("1100000.00")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    totals=st.lists(st.integers(min_value=1, max_value=5_000_000), min_size=1, max_size=5),
    spend=st.lists(st.integers(min_value=0, max_value=250), min_size=5, max_size=5),
    requested_extra=st.lists(st.integers(min_value=0, max_value=2_000_000), min_size=5, max_size=5),
    headroom=st.integers(min_value=0, max_value=3_000_000),
)
def test_property_never_above_request_and_ceiling_kept(
    db,
    users,
    world,
    totals,
    spend,  # noqa: F811
    requested_extra,
    headroom,
) -> None:
    from sqlmodel import delete

    from db.models import BudgetCeiling, BudgetRequest, Location, Provider
    from db.models.budget_year import RealisationReport, ReallocationProposal, ReallocationRound
    from desktop.services.budget_year import realisation as rz

    with db.write_session() as s:  # reset between examples (same file): test bookkeeping only
        for model in (
            ReallocationProposal,
            ReallocationRound,
            RealisationReport,
            BudgetCeiling,
            BudgetRequest,
        ):
            s.exec(delete(model))
        s.exec(delete(Location).where(Location.name.like("Locatie P%")))  # type: ignore[attr-defined]
        s.exec(delete(Provider).where(Provider.name.like("P%")))  # type: ignore[attr-defined]
        s.commit()
    by, lead = users["purchaser"].id, users["lead"].id
    for i, euros in enumerate(totals):
        pid, _ = add_agreement(
            db,
            lead,
            world.region_id,
            name=f"P{i}",
            total=f"{euros}.00",
            requested=f"{euros + requested_extra[i]}.00",
            year=YEAR,
            decided_on=date(YEAR, 2, 1),
        )
        realised = Decimal(euros) * spend[i] / 100 * 9 / 12
        rz.record_report(
            db,
            by,
            provider_id=pid,
            year=YEAR,
            period="OCT",
            today=AS_OF,
            received_date="2026-10-20",
            staff_costs=str(realised.quantize(Decimal("0.01"))),
            other_costs="0",
        )
    set_ceiling(db, world.care_office_id, YEAR, f"{sum(totals) + headroom}.00", lead)
    r = hs.open_round(db, by, world.care_office_id, YEAR, as_of=AS_OF)
    for p in r.proposals:
        assert p.new_staff <= p.requested_staff and p.new_other <= p.requested_other
        assert p.new_total <= p.requested_total
        assert p.new_staff >= 0 and p.new_other >= 0
    assert r.new_total <= r.ceiling
    review.submit(db, hs.SUBJECT, r.id, by)  # the prefilled round passes its own rules
    review.approve(db, hs.SUBJECT, r.id, lead)
    assert sum(_agreed(db).values()) <= sum(totals) + headroom


def test_cli_herschikking(db, users, world, tmp_path, capsys) -> None:  # noqa: F811
    from desktop.cli import main
    from desktop.services.budget import care_offices

    _year(db, users, world)
    office = dict(care_offices(db))[world.care_office_id]
    db.dispose()
    args = ["budget", "herschikking", "--db", str(db.path), "--year", str(YEAR), "--json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["rounds"] == []
    assert main(args + ["--open", "--care-office", office]) == 1  # who opens it?
    assert "--as" in capsys.readouterr().err
    assert (
        main(
            args
            + [
                "--open",
                "--care-office",
                office,
                "--as",
                "AdV",
                "--today",
                "05-11-2026",
                "--letters",
                str(tmp_path / "brieven"),
                "--draft",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["rounds"][0]["review"] == "NONE"
    assert [p["provider"] for p in data["rounds"][0]["proposals"] if p["change"] != "0.00"] == [
        "Onderbesteder"
    ]
    assert len(data["letters"]) == 1 and data["letters"][0].endswith("concept-onderbesteder.pdf")


def test_herschikkingsbrief_is_stored_like_a_letter(db, users, world, tmp_path) -> None:  # noqa: F811
    """A definitive herschikkingsbrief is a stored letter: kenmerk from the care office's letter
    sequence, PDF bytes with their SHA-256, maker and approver, an audit event; printing again
    gives the same bytes; the request's own beoordelingsbrief is not disturbed."""
    import hashlib
    import io

    from pypdf import PdfReader

    from db.models import AuditEvent, Letter
    from desktop.services import letters as lt
    from desktop.services.budget_year.herschikking_letter import (
        round_letters,
        store_letters,
        write_letters,
    )

    _year(db, users, world)
    by, lead = users["purchaser"].id, users["lead"].id
    r = hs.open_round(db, by, world.care_office_id, YEAR, as_of=AS_OF)
    review.submit(db, hs.SUBJECT, r.id, by)
    with pytest.raises(RuleViolation):
        store_letters(db, r.id, by)
    assert write_letters(db, r.id, tmp_path / "concept", draft=True)  # a concept stores nothing
    with db.read_session() as s:
        assert s.exec(select(Letter)).all() == []
    review.approve(db, hs.SUBJECT, r.id, lead)
    lt.set_letterhead(
        db, world.care_office_id, lead, phone="070 123 45 67", email="inkoop@zk.example"
    )
    made = store_letters(db, r.id, by, letter_date=date(2026, 11, 6))
    changed = [p for p in hs.get_round(db, r.id).proposals if p.changed]
    assert len(made) == len(changed) >= 1
    info = made[0]
    assert info.status == "DEFINITIVE" and info.template_id == "herschikkingsbrief"
    code = lt.get_letterhead(db, world.care_office_id).code
    assert info.kenmerk.startswith(f"{code}/HS/{YEAR}/")
    assert info.maker_name == "Anna de Vries" and info.approver_name == "Carla Bakker"
    pdf = lt.letter_pdf(db, info.id)
    assert hashlib.sha256(pdf).hexdigest() == info.sha256
    with db.read_session() as s:
        row = s.get(Letter, info.id)
        audit = s.exec(
            select(AuditEvent).where(
                AuditEvent.entity_id == info.id, AuditEvent.action == "definitive"
            )
        ).one()
    assert row.letter_date == date(2026, 11, 6) and row.sequence is not None
    assert audit.details["round_id"] == r.id and audit.details["kenmerk"] == info.kenmerk
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert info.kenmerk in text and "Carla Bakker" in text and "CONCEPT" not in text
    # again: the same letters, the same bytes; the files are the stored bytes
    again = store_letters(db, r.id, lead, letter_date=date(2026, 12, 1))
    assert [a.id for a in again] == [m.id for m in made] == [x.id for x in round_letters(db, r.id)]
    paths = write_letters(db, r.id, tmp_path / "def")
    assert sorted(p.read_bytes() for p in paths) == sorted(lt.letter_pdf(db, m.id) for m in made)
    out = Path(__file__).parents[1] / "out"
    out.mkdir(exist_ok=True)
    (out / "herschikkingsbrief-opgeslagen.pdf").write_bytes(pdf)
    # kept apart from the beoordelingsbrieven of the same requests
    assert lt.letter_for_request(db, info.request_id) is None
    assert [x.id for x in lt.list_letters(db, herschikking=True)] == [m.id for m in made]
    assert all(x.template_id != "herschikkingsbrief" for x in lt.list_letters(db))
    lt.mark_sent(db, info.id, by, sent_on=date(2026, 11, 9))
    from desktop.services import requests as rq

    assert rq.get_request(db, info.request_id).state == "DECIDED"  # not "Brief verstuurd"
