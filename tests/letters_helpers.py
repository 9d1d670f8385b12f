"""Tiny hand-made data for the letter tests: one care office letterhead, providers, decisions."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
from sqlmodel import select

from db.models import CareOffice, Provider, Region, RegionAssignment
from db.repo import UnitOfWork


@dataclass(frozen=True)
class World:
    provider_id: str
    region_id: str
    region_name: str
    care_office_id: str
    care_office_code: str


# The budget-year 2027 cycle both the decision letter (vervolg) and the addendum state: advances
# from 1 January 2027, the three reports, the realisation and the settlement dates.
CYCLE_2027 = [
    "1 januari 2027",
    "31 mei 2027",
    "31 juli 2027",
    "31 oktober 2027",
    "1 november 2027",
    "1 april 2028",
    "1 juni 2028",
]

LETTERHEAD = dict(
    postal_address="Postbus 444",
    postcode="2700AK",
    place="Zoetermeer",
    phone="071 751 00 52",
    email="zorgkantoor@voorbeeld.nl",
    website="www.voorbeeld.nl",
    kvk_number="33075294",
)


def make_world(
    db,
    actor_id: str,
    name: str = "Zorggroep De Linde",
    *,  # type: ignore[no-untyped-def]
    letterhead: dict | None = None,
    street: str = "Lindelaan",
) -> World:
    with UnitOfWork(db, actor_id) as uow:
        region = uow.exec(select(Region).order_by(Region.number)).first()
        assignment = uow.exec(
            select(RegionAssignment).where(RegionAssignment.region_id == region.id)
        ).first()
        office = uow.get(CareOffice, assignment.care_office_id)
        uow.update(office, **(LETTERHEAD if letterhead is None else letterhead))
        prov = uow.add(
            Provider(
                name=name,
                street=street,
                house_number="12",
                postcode="3511AB",
                place="Utrecht",
                attention_of="t.a.v. de Raad van Bestuur",
                salutation="Geachte mevrouw De Vries,",
            )
        )
        return World(prov.id, region.id, region.name, office.id, office.code)


def letter_request(
    db,
    users,
    world,
    amounts: tuple[str, str, str] = ("1.200.000,00", "960.000,00", "240.000,00"),
    **extra,
):  # type: ignore[no-untyped-def]
    """An afwijkingsverzoek by the zorginkoper for the letter world (provider, care office and
    region), budget year 2027, received 2 November 2026, € 1.000.000,00 reserved, with the
    requested (total, staff, other) amounts; `extra` goes to `create_request` as it is."""
    from desktop.services import requests as rq

    total, staff, other = amounts
    return rq.create_request(
        db,
        by=users["purchaser"].id,
        provider_id=world.provider_id,
        care_office_id=world.care_office_id,
        region_id=world.region_id,
        budget_year=2027,
        received_date="2026-11-02",
        initial_reserved_amount="1.000.000,00",
        requested_total=total,
        requested_staff_amount=staff,
        requested_other_amount=other,
        **extra,
    )


def decided(
    db,
    users,
    world,
    decision: str = "APPROVED",
    *,
    approve: bool = True,  # type: ignore[no-untyped-def]
    quality_plan_id: str | None = None,
    **amounts,
):  # type: ignore[no-untyped-def]
    """An afwijkingsverzoek 80%/20% of € 1.200.000,00 with all criteria judged and a decision."""
    from desktop.services import requests as rq

    r = letter_request(
        db,
        users,
        world,
        external_reference="KP-2027-001",
        letter_date="2026-10-30",
        quality_plan_id=quality_plan_id,
    )
    rq.judge_criteria(
        db,
        r.id,
        users["purchaser"].id,
        {c.code: ("MEETS", f"Onderbouwing bij criterium {c.number}.") for c in rq.criteria()},
    )
    rq.record_decision(
        db,
        r.id,
        users["purchaser"].id,
        decision=decision,
        rationale="De afwijking is in overleg beoordeeld.",
        custom_agreements="Elke locatie rapporteert per kwartaal over de inzet.",
        improvement_points=[
            "Cliëntervaringen meten per locatie",
            "Verzuim terugdringen",
            "Medicatieveiligheid",
        ],
        **amounts,
    )
    if approve:
        rq.submit(db, r.id, users["purchaser"].id)
        rq.approve(db, r.id, users["lead"].id)
    return r.id


def pdf_text(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [p.extract_text() for p in reader.pages]


def flat(text: str) -> str:
    """Whitespace-normalised text (no-break spaces and line breaks become single spaces)."""
    return " ".join(text.replace("\u00a0", " ").split())


def page_one(data: bytes, tmp_path: Path, renderer: str = "pdftoppm"):  # type: ignore[no-untyped-def]
    """Page 1 at 150 dpi in grey, rendered by poppler's pdftoppm (what prints) or by pdfium
    (what the in-app preview shows)."""
    if renderer == "pdfium":
        import pypdfium2 as pdfium

        return pdfium.PdfDocument(data)[0].render(scale=150 / 72).to_pil().convert("L")
    import shutil
    import subprocess

    from PIL import Image

    exe = shutil.which("pdftoppm")
    assert exe, "pdftoppm (poppler-utils) is installed by scripts/_setup.sh"
    (tmp_path / "letter.pdf").write_bytes(data)
    subprocess.run(
        [
            exe,
            "-r",
            "150",
            "-f",
            "1",
            "-l",
            "1",
            "-gray",
            "-singlefile",
            str(tmp_path / "letter.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    return Image.open(tmp_path / "page.pgm").convert("L")


@pytest.fixture(scope="module")
def _template_db(tmp_path_factory):  # type: ignore[no-untyped-def]
    """Create the database (schema, reference data, three colleagues) once per module; each
    test gets its own copy of the file (a fresh real SQLite database, created much faster)."""
    from people_helpers import make_colleagues

    from desktop.services.database import open_database

    path = tmp_path_factory.mktemp("letters_template") / "template.sqlite"
    database = open_database(path)
    colleagues = make_colleagues(database)
    database.dispose()
    return path, colleagues


@pytest.fixture
def db(_template_db, tmp_path):  # type: ignore[no-untyped-def]
    from desktop.services.database import open_database

    src, _users = _template_db
    target = tmp_path / "test.sqlite"
    shutil.copyfile(src, target)
    database = open_database(target)
    yield database
    database.dispose()


@pytest.fixture
def users(_template_db, db):  # type: ignore[no-untyped-def]
    return _template_db[1]
