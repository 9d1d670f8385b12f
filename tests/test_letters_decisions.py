"""Issue 15: the letter follows the decision (PDFs read back; the address measured on pixels)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlmodel import select
from test_requests_helpers import (
    approved_amounts,
    complete_plan_assessment,
    record_accepted,
    record_adjusted,
)

from db.errors import RuleViolation, ValidationError
from db.models import CareOffice, Provider
from db.repo import UnitOfWork
from desktop.services import letters
from desktop.services import requests as rq
from tests.letters_helpers import (  # noqa: F401 (fixtures)
    _template_db,
    db,
    decided,
    flat,
    letter_request,
    make_world,
    page_one,
    pdf_text,
    users,
)

DAY = date(2026, 11, 23)
OUT = Path(__file__).resolve().parent.parent / "out"


@pytest.fixture
def world(db, users):  # type: ignore[no-untyped-def]
    return make_world(db, users["purchaser"].id)


def _letter(db, users, rid):  # type: ignore[no-untyped-def]
    info = letters.create_letter(db, rid, users["purchaser"].id)
    info = letters.make_definitive(db, info.id, users["purchaser"].id, letter_date=DAY)
    return letters.letter_pdf(db, info.id)


def _text(pdf: bytes) -> str:
    return flat(" ".join(pdf_text(pdf)))


def test_criteria_are_quoted_verbatim_from_criteria_yaml(db, users, world):  # type: ignore[no-untyped-def]
    text = _text(_letter(db, users, decided(db, users, world)))
    raw = (
        Path(__file__).resolve().parents[1] / "resources" / "reference" / "criteria.yaml"
    ).read_text("utf-8")
    for c in yaml.safe_load(raw)["criteria"]:
        assert flat(c["text_nl"]) in text, c["code"]
    template = (
        Path(__file__).resolve().parents[1]
        / "resources"
        / "letters"
        / "beoordelingsbrief"
        / "2026120601.yaml"
    ).read_text("utf-8")
    assert "C6_SHARES_LEARNING" not in template  # one source: no wording of the criteria there


def test_no_bezwaar_by_default_only_as_care_office_setting(db, users, world):  # type: ignore[no-untyped-def]
    text = _text(_letter(db, users, decided(db, users, world)))
    assert "bezwaar" not in text.lower()
    assert "overleg om tot overeenstemming te komen" in text and "mediation inzetten" in text
    other = make_world(db, users["purchaser"].id, "Stichting Het Anker")
    with UnitOfWork(db, users["purchaser"].id) as uow:
        office = uow.get(CareOffice, other.care_office_id)
        uow.update(
            office,
            letter_settings={
                "templates": {
                    "beoordelingsbrief": {
                        "version": "eigen1",
                        "blocks": {
                            "oneens_aanvullend": "U kunt ook een klacht indienen "
                            "of bezwaar maken bij {zorgkantoor}."
                        },
                    }
                }
            },
        )
    text = _text(_letter(db, users, decided(db, users, other)))
    assert "of bezwaar maken bij" in text


@pytest.mark.parametrize(
    "total,staff,other,advance,month",
    [
        ("1.100.000,00", "935.000,00", "165.000,00", "€ 68.750,00", "€ 91.666,67"),
        ("1.000.000,01", "850.000,00", "150.000,01", "€ 62.500,00", "€ 83.333,33"),
        ("1.000.000,03", "850.000,00", "150.000,03", "€ 62.500,00", "€ 83.333,34"),
        ("999.999,99", "849.999,99", "150.000,00", "€ 62.500,00", "€ 83.333,33"),
    ],
)
def test_monthly_advance_is_75_percent_of_the_monthly_amount_to_the_cent(
    db, users, world, total, staff, other, advance, month
):  # type: ignore[no-untyped-def]
    rid = decided(
        db,
        users,
        world,
        "APPROVED_ADJUSTED",
        **approved_amounts(total, staff, other),
    )
    text = _text(_letter(db, users, rid))
    assert f"{advance} per maand (75% van {month})" in text


def test_monthly_advance_arithmetic():
    from decimal import Decimal

    from desktop.services.letters.cycle import monthly_advance

    assert monthly_advance(Decimal("1200000.00")) == Decimal("75000.00")
    assert monthly_advance(Decimal("1234567.89")) == Decimal("77160.49")  # 77.160,4931...
    assert monthly_advance(Decimal("0.16")) == Decimal("0.01")  # 0,01 exactly
    assert monthly_advance(Decimal("0.24")) == Decimal("0.02")  # 0,015 -> half up


def test_split_with_one_decimal_and_accepted_point_in_the_letter(db, users, world):  # type: ignore[no-untyped-def]
    r = letter_request(db, users, world, ("1.000.000,00", "846.000,00", "154.000,00"))
    judged = {c.code: ("MEETS", f"Onderbouwing {c.number}.") for c in rq.criteria()}
    judged["C7_INNOVATIVE_TECH"] = ("DOES_NOT_MEET", "Geen technologieplan.")
    rq.judge_criteria(db, r.id, users["purchaser"].id, judged)
    condition = ("CONDITION", "Het technologieplan volgt vóór 1 maart 2027.")
    record_accepted(db, users, r.id, {"C7_INNOVATIVE_TECH": condition})
    rq.submit(db, r.id, users["purchaser"].id)
    rq.approve(db, r.id, users["lead"].id)
    pdf = _letter(db, users, r.id)
    OUT.mkdir(exist_ok=True)
    (OUT / "letter_accepted_point.pdf").write_bytes(pdf)
    text = _text(pdf)
    assert "in de verhouding 84,6%/15,4%" in text and "85%/15%" not in text.replace(
        "richtlijn 85%/15%", ""
    )
    assert "€ 846.000,00 (84,6%)" in text and "€ 154.000,00 (15,4%)" in text
    assert "toetsingspunt 7 – voorwaarde: Het technologieplan volgt vóór 1 maart 2027." in text


def test_approval_that_the_assessment_contradicts_never_becomes_definitive(db, users, world):  # type: ignore[no-untyped-def]
    """A plan assessment completed after the approval with a failing check: the letter refuses."""
    from desktop.services import plans

    plan = plans.create_plan(db, by=users["advisor"].id, provider_id=world.provider_id, year=2027)
    rid = decided(db, users, world, quality_plan_id=plan.id)
    failing = {
        "ps_02_judgement": "DOES_NOT_MEET",
        "ps_02_reasoning": "Functies buiten de definitie zorgpersoneel.",
    }
    complete_plan_assessment(db, users, plan.id, "Staat in het plan.", "Onvoldoende.", **failing)
    info = letters.create_letter(db, rid, users["purchaser"].id)
    with pytest.raises(RuleViolation) as exc:
        letters.make_definitive(db, info.id, users["purchaser"].id, letter_date=DAY)
    assert "eis 4.2.4, PS-02" in exc.value.message
    assert letters.get_letter(db, info.id).status == "DRAFT"


def test_more_staff_text_and_dual_role_approver_signs_as_teamleider(db, users, world):  # type: ignore[no-untyped-def]
    from desktop.services.users import create_user

    both = create_user(
        db,
        name="Dirk Smit",
        initials="DS",
        roles=["PURCHASER", "TEAM_LEAD"],
        function_title="Zorginkoper",
        actor_id=users["purchaser"].id,
    )
    r = letter_request(
        db,
        users,
        world,
        ("1.000.000,00", "900.000,00", "100.000,00"),
        justification="Extra inzet op de nachtdienst.",
    )
    rq.record_decision(db, r.id, users["purchaser"].id, decision="APPROVED", rationale="Akkoord.")
    rq.submit(db, r.id, users["purchaser"].id)
    rq.approve(db, r.id, both.id)
    text = _text(_letter(db, users, r.id))
    assert "minder dan 15% aan overige investeringen" in text
    assert "Omdat het aandeel overige investeringen in uw aanvraag hoger is dan 15%" not in text
    assert "Dirk Smit Teamleider zorginkoop" in text or (
        "Dirk Smit" in text
        and "Teamleider zorginkoop" in text
        and "Zorginkoper Zorginkoper" not in text
    )


@pytest.mark.parametrize(
    "day,expect",
    [
        (date(2026, 11, 23), None),
        (date(2026, 11, 28), "zaterdag"),
        (date(2026, 12, 25), "Eerste Kerstdag"),
        (date(2027, 4, 27), "Koningsdag"),
        (date(2027, 5, 6), "Hemelvaartsdag"),
    ],
)
def test_letter_date_warning_for_weekend_and_holiday(day, expect):  # type: ignore[no-untyped-def]
    warning = letters.date_warning(day)
    assert (warning is None) if expect is None else (expect in warning)


# -- the address block in the envelope window: measured on the rendered page ------------------

LONG = [
    (
        "Stichting Zorggroep Rivierenland en Betuwe voor Ouderenzorg en Verpleeghuiszorg",
        "t.a.v. de Raad van Bestuur, mevrouw drs. A.B. van der Heijden-Verhoeven",
    ),
    ("Zorggroep De Linde", "t.a.v. de Raad van Bestuur en de Raad van Toezicht, secretariaat"),
    ("Stichting Het Anker", "t.a.v. de Raad van Bestuur"),
]


@pytest.mark.parametrize("name,attention", LONG)
def test_long_address_lines_are_wrapped_inside_the_window(db, users, name, attention, tmp_path):  # type: ignore[no-untyped-def]
    w = make_world(db, users["purchaser"].id, name)
    with UnitOfWork(db, users["purchaser"].id) as uow:
        prov = uow.exec(select(Provider).where(Provider.id == w.provider_id)).one()
        uow.update(prov, attention_of=attention)
    pdf = _letter(db, users, decided(db, users, w))
    image = page_one(pdf, tmp_path)
    px = 150 / 25.4
    win = letters.EnvelopeWindow()
    # Everything inked left of the sender column (135 mm), between letterhead and fold.
    band = image.crop((0, int(35 * px), int(133 * px), int(99 * px)))
    dark = [
        (x, y)
        for y in range(band.size[1])
        for x in range(band.size[0])
        if band.getpixel((x, y)) < 160
    ]
    assert dark
    xs = [x / px for x, _ in dark]
    ys = [35 + y / px for _, y in dark]
    assert min(xs) >= win.left_mm and max(xs) <= win.left_mm + win.width_mm, (min(xs), max(xs))
    assert min(ys) >= win.top_mm and max(ys) <= win.top_mm + win.height_mm, (min(ys), max(ys))
    # Nothing of the address was cut: every word is in the PDF text.
    text = _text(pdf)
    from desktop.services.letters.address import address_block
    from desktop.services.letters.service import gather

    src = gather(db, decided(db, users, w, approve=False), maker_id=None, approver_id=None)
    block = address_block(src.addressee, win)
    assert block.fits and flat(" ".join(block.lines)) in text
    assert any(line.endswith("  UTRECHT") for line in block.lines)  # postcode, two spaces, place


def test_address_that_cannot_fit_is_refused_on_a_definitive_letter(db, users):  # type: ignore[no-untyped-def]
    w = make_world(
        db, users["purchaser"].id, "Zorgcoöperatie" + "Noordoostpolderverpleeghuizen" * 2
    )
    rid = decided(db, users, w)
    info = letters.create_letter(db, rid, users["purchaser"].id)
    assert letters.letter_pdf(db, info.id, today=DAY)[:4] == b"%PDF"  # a concept still shows
    with pytest.raises(ValidationError) as exc:
        letters.make_definitive(db, info.id, users["purchaser"].id, letter_date=DAY)
    assert exc.value.field == "addressee" and "past niet in het venster" in exc.value.message


def test_cli_warns_for_a_saturday_letter_date_and_show_json_has_the_check(
    db, users, world, tmp_path, capsys
):  # type: ignore[no-untyped-def]
    import json

    from desktop.cli import main

    rid = decided(db, users, world)
    path = db.path
    db.dispose()
    code = main(
        [
            "letters",
            "make",
            "--db",
            str(path),
            "--request",
            rid,
            "--out",
            str(tmp_path / "b.pdf"),
            "--definitive",
            "--as",
            "AdV",
            "--date",
            "2026-11-28",
            "--json",
        ]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "valt op een zaterdag" in out.err and "zaterdag" in json.loads(out.out)["warning"]
    assert main(["requests", "show", rid, "--db", str(path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["check"]["unexplained"] == [] and shown["decision"] == "APPROVED"


def test_an_approved_split_that_deviates_is_named_in_subject_and_text(db, users, world):  # type: ignore[no-untyped-def]
    r = letter_request(db, users, world, ("1.000.000,00", "850.000,00", "150.000,00"))
    rq.judge_criteria(
        db,
        r.id,
        users["purchaser"].id,
        {c.code: ("MEETS", f"Onderbouwing {c.number}.") for c in rq.criteria()},
    )
    record_adjusted(
        db,
        users,
        r.id,
        ("850.000,00", "700.000,00", "150.000,00"),
        rationale="Minder personeel begroot.",
    )
    rq.submit(db, r.id, users["purchaser"].id)
    rq.approve(db, r.id, users["lead"].id)
    text = _text(_letter(db, users, r.id))
    assert "beoordeling aanvraag kwaliteitsbudget 2027 en afwijking 85/15" in text
    assert (
        "De toegekende verhouding 82,4%/17,6% heeft een aandeel overige investeringen van meer dan 15%"
        in text
    )
    assert "Onderbouwing 10." in text  # the criteria table is there


def _agreements_for(db, users, world, rid):  # type: ignore[no-untyped-def]
    """Issue 17: the decision names its doelthema's; two maatwerkafspraken recorded for it (one
    per location, one for all), and one withdrawn (not part of the deal any more)."""
    from db.models import Location
    from desktop.services.steering.agreements import check_agreement, create_agreement
    from desktop.services.steering.targets import set_decision_targets

    actor = users["purchaser"].id
    with UnitOfWork(db, actor) as uow:
        loc = uow.add(
            Location(
                provider_id=world.provider_id, region_id=world.region_id, name="Huize De Linde"
            )
        ).id
    set_decision_targets(db, rid, ["T6", "T3"], actor_id=actor)
    create_agreement(
        db,
        provider_id=world.provider_id,
        actor_id=actor,
        theme_codes=["T3"],
        location_ids=[loc],
        target_rating="SUFFICIENT",
        target_change="Medicatiefouten worden binnen een week besproken",
        due_date="31-12-2027",
        check_method="BEZOEK",
        budget_request_id=rid,
    )
    create_agreement(
        db,
        provider_id=world.provider_id,
        actor_id=actor,
        theme_codes=["T6"],
        target_change="Vaste gezichten in de avonddienst",
        due_date="01-07-2027",
        check_method="GESPREK",
        budget_request_id=rid,
    )
    gone = create_agreement(
        db,
        provider_id=world.provider_id,
        actor_id=actor,
        theme_codes=["T8"],
        target_change="Dashboard per locatie",
        due_date="01-03-2027",
        check_method="INDICATOR",
        budget_request_id=rid,
    )
    check_agreement(db, gone.id, outcome="WITHDRAWN", actor_id=actor, checked_on="01-12-2026")


def test_letter_and_addendum_list_the_agreements_with_their_doelthemas(db, users, world, tmp_path):  # type: ignore[no-untyped-def]
    plain = _text(_letter(db, users, decided(db, users, world)))
    assert "Met dit besluit richten wij" not in plain  # a decision without targets: as before

    anker = make_world(db, users["purchaser"].id, "Stichting Het Anker")
    rid = decided(db, users, anker)
    _agreements_for(db, users, anker, rid)
    pdf = _letter(db, users, rid)
    text = _text(pdf)
    assert (
        "richten wij het kwaliteitsbudget in het bijzonder op deze thema's van het "
        "Kwaliteitskader Verpleeghuiszorg: T3 Veiligheid en T6 Personeelssamenstelling."
    ) in text
    first = (
        "T6 Personeelssamenstelling (alle locaties): Vaste gezichten in de avonddienst. "
        "Uiterlijk 1 juli 2027; wij toetsen dit met een gesprek."
    )
    second = (
        "T3 Veiligheid (Huize De Linde): minimaal voldoende; Medicatiefouten worden binnen een "
        "week besproken. Uiterlijk 31 december 2027; wij toetsen dit met een locatiebezoek."
    )
    assert first in text and second in text and text.index(first) < text.index(second)
    assert "Elke locatie rapporteert per kwartaal" in text  # the free-text agreement stays
    assert "Dashboard per locatie" not in text  # withdrawn
    assert text.index("Met u maken wij de volgende") < text.index(first)

    add = flat(" ".join(pdf_text(letters.addendum_pdf(db, rid))))
    assert "Doelthema's T3 Veiligheid en T6 Personeelssamenstelling" in add
    assert (
        "Maatwerkafspraak T3 Veiligheid (Huize De Linde): minimaal voldoende; Medicatiefouten "
        "worden binnen een week besproken; uiterlijk 31 december 2027, getoetst met een "
        "locatiebezoek."
    ) in add
    assert "getoetst met een gesprek" in add and "Dashboard per locatie" not in add
    OUT.mkdir(exist_ok=True)
    (OUT / "letter_agreements.pdf").write_bytes(pdf)
    (OUT / "addendum_agreements.pdf").write_bytes(letters.addendum_pdf(db, rid))
