"""Beoordelingsbrieven: content, rules, determinism, layout (issue 6; DOMAIN.md §8)."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import re
from datetime import date
from pathlib import Path

import pypdf
import pytest
from sqlmodel import select
from test_requests_helpers import approved_amounts, complete_plan_assessment

from db.errors import RuleViolation, ValidationError
from db.models import BudgetRequest, Letter, Provider
from db.repo import UnitOfWork
from desktop.services import letters
from tests.letters_helpers import (  # noqa: F401 (fixtures)
    CYCLE_2027,
    _template_db,
    db,
    decided,
    flat,
    make_world,
    page_one,
    pdf_text,
    users,
)

DAY = date(2026, 11, 23)


def _definitive_batch(db, region, out_dir, by, **extra):  # type: ignore[no-untyped-def]
    """The batch that makes every letter of `region` definitive first, dated DAY."""
    return letters.batch_letters(
        db,
        region=region,
        out_dir=out_dir,
        by=by,
        make_definitive_first=True,
        letter_date=DAY,
        **extra,
    )


@pytest.fixture
def world(db, users):  # type: ignore[no-untyped-def]
    return make_world(db, users["purchaser"].id)


def _definitive(db, users, world, decision="APPROVED", **amounts):  # type: ignore[no-untyped-def]
    rid = decided(db, users, world, decision, **amounts)
    info = letters.create_letter(db, rid, users["purchaser"].id)
    return letters.make_definitive(db, info.id, users["purchaser"].id, letter_date=DAY)


COMMON = [
    "Zorggroep De Linde",
    "t.a.v. de Raad van Bestuur",
    "Lindelaan 12",
    "3511 AB UTRECHT",
    "Retouradres: Postbus 444, 2700 AK ZOETERMEER",
    "Uw kenmerk",
    "KP-2027-001",
    "Uw brief van",
    "30 oktober 2026",
    "Ons kenmerk",
    "Datum",
    "23 november 2026",
    "Behandeld door",
    "Anna de Vries",
    "071 751 00 52",
    "Betreft",
    "beoordeling aanvraag kwaliteitsbudget 2027 en verzoek afwijking 85/15",
    "Geachte mevrouw De Vries,",
    # aanleiding: receipt date and initial budget
    "Op 2 november 2026 hebben wij uw aanvraag",
    "€ 1.000.000,00",
    # toelichting per criterion C1..C10
    "Toetsingspunt",
    "Onderbouwing bij criterium 1.",
    "Onderbouwing bij criterium 10.",
    "Programma Thuis in het Verpleeghuis".lower(),
    # maatwerk and verbeterpunten
    "Elke locatie rapporteert per kwartaal",
    "Cliëntervaringen meten per locatie",
    "Medicatieveiligheid",
    # remedy per §4.2.7: overleg, then mediation (no bezwaar by default, see below)
    "overleg",
    "mediation",
    "Met vriendelijke groet,",
    "Zorginkoper",
    "Carla Bakker",
    "Teamleider zorginkoop",
    "KvK 33075294",
]
VERVOLG = ["vóór 1 april 2027", "75%", *CYCLE_2027]


def _check_all(text: str, needles: list[str]) -> None:
    low = text.lower()
    missing = [n for n in needles if n.lower() not in low]
    assert not missing, f"not in letter: {missing}"


def test_approved_letter_has_every_element(db, users, world):  # type: ignore[no-untyped-def]
    info = _definitive(db, users, world)
    assert re.fullmatch(rf"{world.care_office_code}/KB/2027/000001", info.kenmerk or "")
    assert info.status == "DEFINITIVE" and info.template_version == "2026120601"
    pdf = letters.letter_pdf(db, info.id)
    pages = pdf_text(pdf)
    text = flat(" ".join(pages))
    _check_all(
        text,
        COMMON
        + VERVOLG
        + [
            info.kenmerk,
            "Wij gaan akkoord met uw aanvraag",
            "€ 1.200.000,00",
            "€ 960.000,00 (80%)",
            "€ 240.000,00 (20%)",
            "Bijlage: addendum kwaliteitsbudget 2027",
            # voorschot: 75% of € 1.200.000,00 / 12, to the cent
            "€ 75.000,00 per maand (75% van € 100.000,00)",
        ],
    )
    assert "bezwaar" not in text.lower() and "concept-addendum" not in text
    assert "CONCEPT" not in text
    assert len(pages) >= 2
    assert "Pagina" not in pages[0]
    for i, page in enumerate(pages[1:], start=2):
        assert f"Pagina {i} van {len(pages)}" in page
    meta = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert "Beoordeling aanvraag kwaliteitsbudget 2027" in meta.title
    assert meta.author and meta.subject and info.kenmerk in meta.subject


def test_adjusted_and_rejected_outcomes(db, users, world):  # type: ignore[no-untyped-def]
    adjusted = approved_amounts("1.100.000,00", "902.000,00", "198.000,00")
    adj = _definitive(db, users, world, "APPROVED_ADJUSTED", **adjusted)
    text = flat(" ".join(pdf_text(letters.letter_pdf(db, adj.id))))
    _check_all(
        text,
        COMMON
        + VERVOLG
        + [
            "Na overleg met u is uw aanvraag aangepast",
            "€ 1.100.000,00",
            "€ 902.000,00 (82%)",
            "€ 198.000,00 (18%)",
            "oorspronkelijke aanvraag van € 1.200.000,00",
        ],
    )
    other = make_world(db, users["purchaser"].id, "Stichting Het Anker")
    rej = _definitive(db, users, other, "REJECTED")
    assert rej.kenmerk.endswith("/2027/000002")
    rejected_pdf = letters.letter_pdf(db, rej.id)
    out = Path(__file__).resolve().parent.parent / "out"
    out.mkdir(exist_ok=True)
    (out / "letter_rejected.pdf").write_bytes(rejected_pdf)
    text = flat(" ".join(pdf_text(rejected_pdf)))
    _check_all(
        text,
        COMMON[4:]
        + VERVOLG
        + ["Stichting Het Anker", "Wij gaan niet akkoord", "richtlijn 85%/15%"],
    )
    assert "Bijlage:" not in text


def test_concept_watermark_and_unapproved_decision_refused(db, users, world):  # type: ignore[no-untyped-def]
    rid = decided(db, users, world, approve=False)
    info = letters.create_letter(db, rid, users["purchaser"].id)
    draft = letters.letter_pdf(db, info.id, today=DAY)
    pages = pdf_text(draft)
    assert all("CONCEPT" in p for p in pages)
    assert pypdf.PdfReader(io.BytesIO(draft)).metadata.title.startswith("CONCEPT")
    with pytest.raises(RuleViolation, match="goedgekeurd besluit"):
        letters.make_definitive(db, info.id, users["purchaser"].id, letter_date=DAY)
    after = letters.get_letter(db, info.id)
    assert after.status == "DRAFT" and after.kenmerk is None and after.sha256 is None


def test_definitive_is_stored_with_hash_and_prints_identically(db, users, world):  # type: ignore[no-untyped-def]
    info = _definitive(db, users, world)
    first = letters.letter_pdf(db, info.id)
    assert letters.letter_pdf(db, info.id) == first
    assert hashlib.sha256(first).hexdigest() == info.sha256
    with db.read_session() as s:
        row = s.get(Letter, info.id)
        assert row.pdf == first and row.definitive_at is not None
    with pytest.raises(RuleViolation, match="al definitief"):
        letters.make_definitive(db, info.id, users["purchaser"].id)


def test_rendering_is_deterministic(db, users, world):  # type: ignore[no-untyped-def]
    rid = decided(db, users, world)
    info = letters.create_letter(db, rid, users["purchaser"].id)
    assert letters.letter_pdf(db, info.id, today=DAY) == letters.letter_pdf(db, info.id, today=DAY)


def test_missing_addressee_fields_refused(db, users):  # type: ignore[no-untyped-def]
    w = make_world(db, users["purchaser"].id, street="")
    rid = decided(db, users, w)
    info = letters.create_letter(db, rid, users["purchaser"].id)
    with pytest.raises(ValidationError, match="ontbreekt: straat") as exc:
        letters.make_definitive(db, info.id, users["purchaser"].id, letter_date=DAY)
    assert exc.value.field == "addressee"
    assert letters.get_letter(db, info.id).kenmerk is None


def test_missing_letterhead_field_refused(db, users):  # type: ignore[no-untyped-def]
    w = make_world(db, users["purchaser"].id, letterhead={"phone": "", "kvk_number": ""})
    rid = decided(db, users, w)
    info = letters.create_letter(db, rid, users["purchaser"].id)
    with pytest.raises(ValidationError, match="telefoonnummer.*KvK-nummer"):
        letters.make_definitive(db, info.id, users["purchaser"].id, letter_date=DAY)


def test_placeholder_without_value_refused_and_override_recorded(db, users, world):  # type: ignore[no-untyped-def]
    from db.models import CareOffice

    with UnitOfWork(db, users["purchaser"].id) as uow:
        office = uow.get(CareOffice, world.care_office_id)
        uow.update(
            office,
            letter_settings={
                "templates": {
                    "beoordelingsbrief": {
                        "version": "2027A",
                        "blocks": {"slot": "Bel {contactpersoon_onbekend} bij vragen."},
                    }
                }
            },
        )
    rid = decided(db, users, world)
    info = letters.create_letter(db, rid, users["purchaser"].id)
    draft = flat(" ".join(pdf_text(letters.letter_pdf(db, info.id, today=DAY))))
    assert "[ontbreekt: contactpersoon_onbekend]" in draft
    with pytest.raises(ValidationError, match=r"\{contactpersoon_onbekend\}"):
        letters.make_definitive(db, info.id, users["purchaser"].id, letter_date=DAY)
    with UnitOfWork(db, users["purchaser"].id) as uow:
        office = uow.get(CareOffice, world.care_office_id)
        uow.update(
            office,
            letter_settings={
                "templates": {"beoordelingsbrief": {"version": "2027A", "closing": "Hoogachtend,"}}
            },
        )
    done = letters.make_definitive(db, info.id, users["purchaser"].id, letter_date=DAY)
    assert done.template_version == f"2026120601+{world.care_office_code}-2027A"
    assert "Hoogachtend," in flat(" ".join(pdf_text(letters.letter_pdf(db, done.id))))


def test_override_file_in_data_folder(db, users, world):  # type: ignore[no-untyped-def]
    from desktop.services.letters.templates import override_folder

    folder = override_folder(world.care_office_code)
    folder.mkdir(parents=True)
    (folder / "2027010101.yaml").write_text(
        'version: "2027010101"\nclosing: "Met hartelijke groet,"\n', encoding="utf-8"
    )
    info = _definitive(db, users, world)
    assert info.template_version == f"2026120601+{world.care_office_code}-2027010101"
    assert "Met hartelijke groet," in flat(" ".join(pdf_text(letters.letter_pdf(db, info.id))))


def test_kenmerk_sequence_and_sent(db, users, world):  # type: ignore[no-untyped-def]
    a = _definitive(db, users, world)
    b = _definitive(db, users, make_world(db, users["purchaser"].id, "Stichting B"))
    assert a.kenmerk.endswith("000001") and b.kenmerk.endswith("000002")
    sent = letters.mark_sent(db, a.id, users["purchaser"].id, sent_on=date(2026, 11, 24))
    assert sent.status == "SENT" and sent.sent_on == date(2026, 11, 24)
    assert sent.kenmerk == a.kenmerk and sent.sha256 == a.sha256
    with db.read_session() as s:
        req = s.get(BudgetRequest, a.request_id)
        assert req.state == "LETTER_SENT" and req.letter_sent_on == date(2026, 11, 24)
    with pytest.raises(RuleViolation, match="al verzonden"):
        letters.mark_sent(db, a.id, users["purchaser"].id)
    rid = decided(db, users, make_world(db, users["purchaser"].id, "Stichting C"))
    draft = letters.create_letter(db, rid, users["purchaser"].id)
    with pytest.raises(RuleViolation, match="concept"):
        letters.mark_sent(db, draft.id, users["purchaser"].id)


def test_pending_list_and_batch(db, users, world, tmp_path):  # type: ignore[no-untyped-def]
    decided(db, users, world)
    decided(db, users, make_world(db, users["purchaser"].id, "Stichting B"))
    decided(db, users, make_world(db, users["purchaser"].id, "Stichting Nog Niet"), approve=False)
    pending = letters.pending_decisions(db, region=world.region_name)
    assert sorted(p.provider_name for p in pending) == ["Stichting B", "Zorggroep De Linde"]

    class Progress:
        cancelled = False
        calls: list = []

        def report(self, done, total, text=""):  # type: ignore[no-untyped-def]
            self.calls.append((done, total))

    prog = Progress()
    result = _definitive_batch(
        db, world.region_name, tmp_path / "uit", users["purchaser"].id, progress=prog
    )
    assert result.made_definitive == 2 and len(result.written) == 2 and not result.cancelled
    for path in result.written:
        data = open(path, "rb").read()
        assert data.startswith(b"%PDF") and "CONCEPT" not in " ".join(pdf_text(data))
    assert prog.calls[-1] == (2, 2)
    assert letters.pending_decisions(db, region=world.region_name) == []
    prog2 = Progress()
    prog2.cancelled = True
    cancelled = letters.batch_letters(
        db, region=world.region_name, out_dir=tmp_path / "x", progress=prog2
    )
    assert cancelled.cancelled and cancelled.written == ()


@pytest.mark.parametrize("renderer", ["pdftoppm", "pdfium"])
def test_address_block_inside_envelope_window(db, users, world, renderer, tmp_path):  # type: ignore[no-untyped-def]
    """Render page 1 and check every inked pixel of the address area lies in the window."""
    info = _definitive(db, users, world)
    image = page_one(letters.letter_pdf(db, info.id), tmp_path, renderer)
    px_per_mm = 150 / 25.4
    w, h = image.size

    def mm_box(left, top, right, bottom):  # type: ignore[no-untyped-def]
        return (
            int(left * px_per_mm),
            int(top * px_per_mm),
            int(right * px_per_mm),
            int(bottom * px_per_mm),
        )

    # Everything inked in the left part of the band between the letterhead and the fold.
    band = image.crop(mm_box(0, 35, 125, 99))
    dark = [
        (x, y)
        for y in range(band.size[1])
        for x in range(0, band.size[0], 2)
        if band.getpixel((x, y)) < 128
    ]
    assert dark, "no address printed"
    xs = [x / px_per_mm for x, _ in dark]
    ys = [35 + y / px_per_mm for _, y in dark]
    win = letters.EnvelopeWindow()
    assert min(xs) >= win.left_mm and max(xs) <= win.left_mm + win.width_mm
    assert min(ys) >= win.top_mm and max(ys) <= win.top_mm + win.height_mm
    # and the address is really there: four lines of text, at least 25 mm of them
    assert max(ys) - min(ys) > 15 and max(xs) - min(xs) > 25
    assert w > 0 and h > 0


def test_custom_window_position_moves_address(db, users, world):  # type: ignore[no-untyped-def]
    from db.models import CareOffice
    from desktop.services.letters.render import render_letter
    from desktop.services.letters.service import gather
    from desktop.services.letters.templates import load_template

    with UnitOfWork(db, users["purchaser"].id) as uow:
        office = uow.get(CareOffice, world.care_office_id)
        uow.update(office, letter_settings={"envelope_window": {"left_mm": 110, "top_mm": 45}})
    rid = decided(db, users, world)
    src = gather(db, rid, maker_id=users["purchaser"].id, approver_id=users["lead"].id)
    assert src.letterhead.window.left_mm == 110
    pdf = render_letter(
        src, load_template(), kenmerk="X/KB/2027/000009", letter_date=DAY, draft=False
    ).pdf
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    found: list[float] = []

    def visitor(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if "Zorggroep De Linde" in text:
            found.append(tm[4])

    page.extract_text(visitor_text=visitor)
    assert found and abs(found[0] / 72 * 25.4 - 114) < 1.0


def test_provider_without_salutation_gets_neutral_one(db, users, world):  # type: ignore[no-untyped-def]
    with UnitOfWork(db, users["purchaser"].id) as uow:
        prov = uow.exec(select(Provider).where(Provider.id == world.provider_id)).one()
        uow.update(prov, salutation="")
    info = _definitive(db, users, world)
    assert "Geachte heer, mevrouw," in flat(pdf_text(letters.letter_pdf(db, info.id))[0])


def test_requirements_from_completed_plan_assessment(db, users, world):  # type: ignore[no-untyped-def]
    from desktop.services import plans

    plan = plans.create_plan(db, by=users["advisor"].id, provider_id=world.provider_id, year=2027)
    partly = {
        "mb_02_judgement": "PARTLY",
        "mb_02_reasoning": "De SMART-onderbouwing ontbreekt voor 2028.",
        "improvement_points": [{"improvement_point": "SMART-doelen per locatie"}],
    }
    conclusion = "Het plan voldoet op hoofdlijnen."
    complete_plan_assessment(db, users, plan.id, "Staat in het plan.", conclusion, **partly)
    rid = decided(db, users, world, quality_plan_id=plan.id)
    info = letters.create_letter(db, rid, users["purchaser"].id)
    info = letters.make_definitive(db, info.id, users["purchaser"].id, letter_date=DAY)
    pdf = letters.letter_pdf(db, info.id)
    (Path(__file__).resolve().parent.parent / "out").mkdir(exist_ok=True)
    (Path(__file__).resolve().parent.parent / "out" / "letter_requirements.pdf").write_bytes(pdf)
    text = flat(" ".join(pdf_text(pdf)))
    _check_all(
        text,
        [
            "de eisen aan de aanvraag",
            "4.2.2",
            "4.2.3",
            "4.2.4",
            "4.2.5",
            "Meerjarenbegroting",
            "Voldoet deels",
            "MB-02 voldoet deels: de SMART-onderbouwing ontbreekt voor 2028.",
            # one sentence of its own per requirement, no repeated stock sentence
            "Het kwaliteitsplan beschrijft per locatie wat u gaat doen",
            "rust op de werkelijke loon- of inhuurkosten",
            "sluiten aan bij de voorgenomen verbeteringen per locatie",
        ],
    )
    assert "Alle toetspunten van deze eis" not in text


def test_fast_formatting_matches_house_formatting_and_cache_keeps_bytes(db, users, world):  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from desktop.services import formatting as fmt
    from desktop.services.letters import render
    from desktop.services.letters.service import gather
    from desktop.services.letters.templates import load_template

    for v in ("0", "0.005", "0.015", "12.3", "999.995", "1234567.89", "1000000"):
        assert render._eur(Decimal(v)) == fmt.money(Decimal(v), nbsp=True)
    # Shares come from the one split function (budget.split), also in the amounts table.
    assert render._shares(Decimal("846"), Decimal("154")) == ("84,6%", "15,4%")
    assert render._shares(Decimal("85"), Decimal("15")) == ("85%", "15%")
    for d in (date(2026, 11, 23), date(2027, 1, 1), date(2028, 6, 1)):
        assert render._long_date(d) == fmt.long_date(d)
    rid = decided(db, users, world)
    src = gather(db, rid, maker_id=users["purchaser"].id, approver_id=users["lead"].id)
    template = load_template()
    render._FRAGS.clear()
    render._WRAPS.clear()
    cold = render.render_letter(
        src, template, kenmerk="X/KB/2027/000001", letter_date=DAY, draft=False
    ).pdf
    warm = render.render_letter(
        src, template, kenmerk="X/KB/2027/000001", letter_date=DAY, draft=False
    ).pdf
    assert cold == warm


def test_logo_from_letterhead_settings(db, users, world, tmp_path):  # type: ignore[no-untyped-def]
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 90), (31, 78, 121)).save(logo)
    head = letters.set_letterhead(
        db,
        world.care_office_code,
        users["purchaser"].id,
        logo_path=str(logo),
        iban="NL91ABNA0417164300",
    )
    assert head.logo_path == str(logo.resolve())
    info = _definitive(db, users, world)
    page = pypdf.PdfReader(io.BytesIO(letters.letter_pdf(db, info.id))).pages[0]
    xobjects = page["/Resources"].get("/XObject") or {}
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())
    assert "IBAN NL91ABNA0417164300" in flat(page.extract_text())
    with pytest.raises(ValidationError, match="bestaat niet"):
        letters.set_letterhead(
            db, world.care_office_code, users["purchaser"].id, logo_path=str(tmp_path / "geen.png")
        )


def test_approver_cannot_sign_as_maker_but_a_colleague_can_take_over(db, users, world):  # type: ignore[no-untyped-def]
    rid = decided(db, users, world)
    draft = letters.create_letter(db, rid, users["lead"].id)  # the approving teamleider starts it
    with pytest.raises(RuleViolation, match="vier-ogen"):
        letters.make_definitive(db, draft.id, users["lead"].id, letter_date=DAY)
    done = letters.make_definitive(db, draft.id, users["purchaser"].id, letter_date=DAY)
    assert done.maker_name == "Anna de Vries" and done.approver_name == "Carla Bakker"


def test_definitive_batch_renders_in_worker_processes_gap_free(db, users, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """The region batch makes many letters definitive with worker processes: the PDFs are the
    bytes this process would render, kenmerken run on without gaps although a letter in the
    middle is skipped (with its reason), and an existing concept is finished, not duplicated."""
    from desktop.services.letters import batch, service, workers
    from desktop.services.letters.render import render_letter

    monkeypatch.setattr(batch, "BATCH_CHUNK", 2)  # several chunks, and workers from 4 letters on
    monkeypatch.setattr(batch, "RENDER_WORKERS_FROM", 4)
    purchaser = users["purchaser"].id
    names = ["Stichting A", "Stichting B", "Stichting C", "Stichting D", "Stichting E"]
    worlds = {
        n: make_world(db, purchaser, n, street="" if n == "Stichting C" else "Lindelaan")
        for n in names
    }
    ids = {n: decided(db, users, w) for n, w in worlds.items()}
    concept = letters.create_letter(db, ids["Stichting D"], purchaser)
    assert workers.RenderPool.for_batch(5, batch.RENDER_WORKERS_FROM) is not None
    region = worlds["Stichting A"].region_name

    result = _definitive_batch(db, region, tmp_path / "uit", purchaser)
    assert result.made_definitive == 4 and len(result.written) == 4 and not result.cancelled
    assert not multiprocessing.active_children()  # issue 18: no worker left after the batch
    assert len(result.skipped) == 1 and result.skipped[0].startswith("Stichting C:")
    assert "straat" in result.skipped[0]
    made = sorted(
        letters.list_letters(db, region=region, status="DEFINITIVE"), key=lambda i: i.kenmerk
    )
    assert [i.provider_name for i in made] == [
        "Stichting A",
        "Stichting B",
        "Stichting D",
        "Stichting E",
    ]
    assert [i.kenmerk[-6:] for i in made] == ["000001", "000002", "000003", "000004"]
    assert made[2].id == concept.id  # the concept became the definitive letter
    for info in made:
        p = service._prepare(db, info.request_id, None, purchaser, DAY)
        local = render_letter(p.src, p.template, kenmerk=info.kenmerk, letter_date=DAY, draft=False)
        stored = letters.letter_pdf(db, info.id)
        assert stored == local.pdf and hashlib.sha256(stored).hexdigest() == info.sha256
    _assert_addenda_as_made_alone(db, result, made)
    # Nothing left to do; the skipped one is still waiting for its street.
    again = _definitive_batch(db, region, tmp_path / "uit2", purchaser)
    assert again.made_definitive == 0 and len(again.skipped) == 1 and len(again.written) == 4


def test_definitive_batch_cancel_keeps_what_was_stored(db, users, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Cancelling stops between letters; the letters already rendered are stored, numbered
    without gaps, and a next batch finishes the rest."""
    from desktop.services.letters import batch

    monkeypatch.setattr(batch, "BATCH_CHUNK", 2)
    purchaser = users["purchaser"].id
    worlds = [make_world(db, purchaser, f"Stichting {c}") for c in "ABCDE"]
    for w in worlds:
        decided(db, users, w)

    class Progress:
        cancelled = False

        def report(self, done, total, text=""):  # type: ignore[no-untyped-def]
            self.cancelled = done >= 3  # cancel while preparing the 4th letter

    result = _definitive_batch(db, worlds[0].region_name, tmp_path, purchaser, progress=Progress())
    assert (
        result.cancelled and result.made_definitive == 4
    )  # two chunks were rendered when it stopped
    stored = letters.list_letters(db, region=worlds[0].region_name, status="DEFINITIVE")
    assert result.made_definitive == len(stored)
    assert sorted(i.kenmerk[-6:] for i in stored) == [f"{n:06d}" for n in range(1, len(stored) + 1)]
    rest = _definitive_batch(db, worlds[0].region_name, tmp_path / "b", purchaser)
    assert result.made_definitive + rest.made_definitive == 5 and len(rest.written) == 5


def test_definitive_batch_skips_a_letter_with_an_empty_placeholder_before_numbering(db, users):  # type: ignore[no-untyped-def]
    """A text block that needs a value this one decision lacks (an amount for a rejection) is
    found before kenmerken are handed out: that letter is skipped with the placeholder named,
    the others are numbered without a gap."""
    from db.models import CareOffice

    purchaser = users["purchaser"].id
    worlds = [make_world(db, purchaser, f"Stichting {c}") for c in "ABC"]
    with UnitOfWork(db, purchaser) as uow:
        office = uow.get(CareOffice, worlds[0].care_office_id)
        uow.update(
            office,
            letter_settings={
                "templates": {
                    "beoordelingsbrief": {
                        "outcomes": {"REJECTED": {"uitkomst": "Wij kennen {toegekend_totaal} toe."}}
                    }
                }
            },
        )
    decided(db, users, worlds[0])
    decided(db, users, worlds[1], "REJECTED")
    decided(db, users, worlds[2])
    result = _definitive_batch(db, worlds[0].region_name, None, purchaser)
    assert result.made_definitive == 2
    assert len(result.skipped) == 1 and result.skipped[0].startswith("Stichting B:")
    assert "{toegekend_totaal}" in result.skipped[0]
    made = letters.list_letters(db, region=worlds[0].region_name, status="DEFINITIVE")
    assert sorted((i.provider_name, i.kenmerk[-6:]) for i in made) == [
        ("Stichting A", "000001"),
        ("Stichting C", "000002"),
    ]


def _assert_addenda_as_made_alone(db, result, made):  # type: ignore[no-untyped-def]
    """Issue 18: the batch renders each addendum with its letter (in the render workers); it
    must be the very addendum that `addendum_pdf` makes for that request on its own."""
    assert len(result.addenda) == len(made)
    for info in made:
        path = next(
            Path(a) for a in result.addenda if Path(a).name == letters.addendum_file_name(info)
        )
        assert path.read_bytes() == letters.addendum_pdf(db, info.request_id), info.provider_name


def _worker_dies(job):  # type: ignore[no-untyped-def]  # runs in the spawned worker
    import os

    os._exit(3)


def test_definitive_batch_survives_a_dying_render_worker(db, users, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """A worker process that dies (killed, out of memory) does not lose the batch: its letters
    are rendered in this process, with the same bytes and gap-free kenmerken."""
    from desktop.services.letters import batch, workers
    from desktop.services.letters.render import render_job

    monkeypatch.setattr(batch, "BATCH_CHUNK", 2)
    monkeypatch.setattr(batch, "RENDER_WORKERS_FROM", 4)
    monkeypatch.setattr(
        workers.RenderPool,
        "submit",
        lambda self, jobs, fn=render_job: (
            workers.render_here(jobs, fn)
            if self.broken
            else [
                workers.Pending(self, self._pool.submit(_worker_dies, job), job, fn) for job in jobs
            ]
        ),
    )
    purchaser = users["purchaser"].id
    worlds = [make_world(db, purchaser, f"Stichting {c}") for c in "ABCDE"]
    for w in worlds:
        decided(db, users, w)
    result = _definitive_batch(db, worlds[0].region_name, tmp_path, purchaser)
    assert result.made_definitive == 5 and len(result.written) == 5 and not result.skipped
    made = letters.list_letters(db, region=worlds[0].region_name, status="DEFINITIVE")
    assert sorted(i.kenmerk[-6:] for i in made) == [f"{n:06d}" for n in range(1, 6)]
    for info in made:
        assert hashlib.sha256(letters.letter_pdf(db, info.id)).hexdigest() == info.sha256
    _assert_addenda_as_made_alone(db, result, made)


def test_kenmerk_domain_from_the_letter_settings(db, users, world):  # type: ignore[no-untyped-def]
    """A care office may use its own middle part in the kenmerk (letter_settings)."""
    from db.models import CareOffice

    with UnitOfWork(db, users["purchaser"].id) as uow:
        office = uow.get(CareOffice, world.care_office_id)
        uow.update(office, letter_settings={"kenmerk_domain": "KWB"})
    info = _definitive(db, users, world)
    assert info.kenmerk == f"{world.care_office_code}/KWB/2027/000001"


def test_a_small_batch_renders_without_a_worker_process() -> None:
    """Issue 18: below the break-even a render worker costs more than it wins (a 50-letter
    batch was 25 % slower with one)."""
    from desktop.services.letters import batch, workers

    assert batch.RENDER_WORKERS_FROM > 50
    assert workers.RenderPool.for_batch(50, batch.RENDER_WORKERS_FROM) is None


def test_closing_the_render_pool_leaves_no_worker_running() -> None:
    """Issue 18: close() waits for the workers and terminates one that does not end, so no
    worker process outlives the command (it used to return at once, the worker still busy)."""
    import time

    from desktop.services.letters import workers

    pool = workers.RenderPool(1)
    busy = pool._pool.submit(time.sleep, 30)
    processes = list(pool._pool._processes.values())
    while not busy.running():
        time.sleep(0.05)
    started = time.monotonic()
    pool.close(timeout=0.5)
    assert processes and not any(p.is_alive() for p in processes)
    assert time.monotonic() - started < 10
    assert not multiprocessing.active_children()
