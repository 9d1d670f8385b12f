"""Test helpers for Stukken (issue 20): a small world of records to attach documents to,
and generated files (a multi-page PDF with reportlab, a DOCX with python-docx)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

PHRASE = "dagbesteding voor bewoners met dementie"


@dataclass
class World:
    user: str
    provider: str
    location: str
    plan: str
    request: str
    visit: str
    region: str


def make_world(db, user_id: str | None = None, name: str = "Zorggroep De Linde") -> World:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from db.models import (
        BudgetRequest,
        CareOffice,
        Location,
        Provider,
        QualityPlan,
        Region,
        SiteVisit,
    )
    from db.repo import UnitOfWork
    from desktop.services.users import create_user

    if user_id is None:
        user_id = create_user(db, name="Anna de Vries", initials="AdV", roles=["PURCHASER"]).id
    with db.read_session() as s:
        region = s.exec(select(Region).order_by(Region.number)).first()
        office = s.exec(select(CareOffice)).first()
    with UnitOfWork(db, user_id) as uow:
        if office is None:
            office = uow.add(CareOffice(code="ZKT", name="Zorgkantoor Test", short_name="ZK"))
        p = uow.add(Provider(name=name))
        loc = uow.add(Location(provider_id=p.id, region_id=region.id, name="Huize De Linde"))
        plan = uow.add(QualityPlan(provider_id=p.id, year=2026, title="Kwaliteitsplan 2026"))
        req = uow.add(
            BudgetRequest(
                provider_id=p.id,
                care_office_id=office.id,
                region_id=region.id,
                quality_plan_id=plan.id,
                budget_year=2026,
                received_date=date(2026, 3, 1),
                initial_reserved_amount=Decimal("100000"),
                requested_total=Decimal("90000"),
                requested_staff_amount=Decimal("80000"),
                requested_other_amount=Decimal("10000"),
                author_id=user_id,
            )
        )
        visit = uow.add(
            SiteVisit(
                location_id=loc.id,
                form_id="locatiebezoek",
                form_version="2026112301",
                author_id=user_id,
                visit_date=date(2026, 5, 1),
            )
        )
        ids = (p.id, loc.id, plan.id, req.id, visit.id, region.id)
    return World(user_id, *ids)


def make_pdf(pages: int = 50, phrase_page: int = 37, phrase: str = PHRASE) -> bytes:
    """A kwaliteitsplan-like PDF: `pages` pages of text, `phrase` only on `phrase_page`."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n in range(1, pages + 1):
        c.setFont("Helvetica", 11)
        c.drawString(72, 800, f"Kwaliteitsplan 2026 - hoofdstuk {n}")
        y = 770
        for line in range(40):
            c.drawString(
                72,
                y,
                f"Regel {line + 1}: de locatie werkt aan persoonsgerichte zorg "
                f"en leren en verbeteren (pagina {n}).",
            )
            y -= 16
        if n == phrase_page:
            c.drawString(72, 100, f"Wij investeren in {phrase} in 2026.")
        c.showPage()
    c.save()
    return buf.getvalue()


def make_docx(paragraphs: list[str], page_break_after: int | None = None) -> bytes:
    import docx

    document = docx.Document()
    for i, text in enumerate(paragraphs):
        document.add_paragraph(text)
        if page_break_after is not None and i == page_break_after:
            document.add_page_break()
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe"
    b"\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def record_blob_transfers(monkeypatch, hub_class) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Patch `hub_class` (a hub type) so every `read` and `put_file` is recorded as ("read" |
    "put", name) in the returned list, then done as before."""
    calls: list[tuple[str, str]] = []
    real_read, real_put = hub_class.read, hub_class.put_file

    def read(self, n):  # type: ignore[no-untyped-def]
        calls.append(("read", n))
        return real_read(self, n)

    def put_file(self, n, data):  # type: ignore[no-untyped-def]
        calls.append(("put", n))
        return real_put(self, n, data)

    monkeypatch.setattr(hub_class, "read", read)
    monkeypatch.setattr(hub_class, "put_file", put_file)
    return calls


def add_plan_pdf(db, user_id: str, world: World, pdf: bytes, name: str = "Kwaliteitsplan.pdf"):  # type: ignore[no-untyped-def]
    """`pdf` added as the kwaliteitsplan document of the world's quality plan, by `user_id`."""
    from desktop.services.documents import service

    return service.add_document(
        db, user_id, "quality_plan", world.plan, name, pdf, doc_type="kwaliteitsplan"
    )
