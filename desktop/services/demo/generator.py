"""Demo data: the assembler. Runs the stages (directory, quality years, budget years, the
budget-year money) in one UnitOfWork, then the letters and the outcomes."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from db.engine import Database
from db.errors import RuleViolation, ValidationError
from db.models import CareOffice, Region
from db.repo import UnitOfWork
from desktop.services.demo.base import CARE_OFFICE_CODE, SCALES, DemoReport, ProgressLike
from desktop.services.demo.budget import BudgetYears
from desktop.services.demo.budget_year import make_budget_year_money
from desktop.services.demo.directory import Directory
from desktop.services.demo.quality import QualityYears
from desktop.services.demo.reviews import FourEyes


class _Generator(Directory, QualityYears, BudgetYears, FourEyes):
    """One demo run: the stages in order, all in one UnitOfWork."""

    # -- run -----------------------------------------------------------------------------------
    def run(self) -> None:
        with self.db.read_session() as s:
            office = s.exec(select(CareOffice).where(CareOffice.code == CARE_OFFICE_CODE)).first()
            regions = {r.number: r.id for r in s.exec(select(Region))}
        if office is None or not regions:
            raise RuleViolation(
                "De database heeft nog geen referentiegegevens; voer eerst 'init' uit."
            )
        self.office_id = office.id
        self.region_ids = [regions[n] for n in self.spec.regions]
        self.region_places = {regions[n]: self.places["regions"][n] for n in self.spec.regions}
        self.total_steps = 2 + len(self.years) * 2 + (len(self.years) + 1) + 1
        try:
            self._write_all()
        except IntegrityError as exc:
            # Ids come from the seed: the same seed loaded twice collides on the first insert.
            if "UNIQUE constraint failed" not in str(exc.orig) or ".id" not in str(exc.orig):
                raise
            raise RuleViolation(
                f"De voorbeeldgegevens met startgetal {self.seed} staan al in deze database. "
                "Kies een ander startgetal (--seed) of een nieuw databasebestand; er is niets "
                "toegevoegd."
            ) from exc

    def _write_all(self) -> None:
        with UnitOfWork(self.db, actor_id=None) as uow:
            self.uow = uow
            self.make_users()
            self.make_letterhead()
            self.tick("Medewerkers")
            self.make_directory(self.spec.providers)
            self.tick("Zorgaanbieders en locaties")
            for year in self.years:
                self.make_quality_year(year)
                self.tick(f"Locatiebezoeken en oordelen {year}")
                self.make_notes_year(year)
                self.tick(f"Kwaliteitsdiagnose {year}")
            for year in [*self.years, self.today.year + 1]:
                self.make_budget_year(year)
                self.tick(f"Aanvragen kwaliteitsbudget {year}")
            self.make_reviews()
            self.flush()
            make_budget_year_money(self.uow, seed=self.seed, today=self.today)  # issue 16
            self.tick("Opslaan")


def generate_demo(
    db: Database,
    scale: str = "small",
    seed: int = 1,
    progress: ProgressLike = None,
    *,
    today: date | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> DemoReport:
    """Add demo data to an initialised database. One transaction: all or nothing.

    Existing data is left alone; loading the same seed twice is refused (RuleViolation).

    `progress` is `callable(done, total, text)` or an object with `.report(done, total, text)`
    and `.cancelled` (the UI's Progress); `cancelled()` returning True stops the run
    (DemoCancelled, nothing written). `today` anchors all dates (default: date.today()).
    """
    from desktop.services.directory import counts

    if scale not in SCALES:
        raise ValidationError(
            "scale", f"Onbekende omvang '{scale}'; kies small, zorgkantoor of national."
        )
    started = time.perf_counter()
    today = today or date.today()
    _Generator(db, SCALES[scale], seed, today, progress, cancelled).run()
    from desktop.services.demo.letters import make_demo_letters

    make_demo_letters(db, progress=progress, cancelled=cancelled)
    from desktop.services.demo.outcomes import make_demo_outcomes

    make_demo_outcomes(db, seed=seed, today=today)
    return DemoReport(
        scale=scale,
        seed=seed,
        today=today,
        counts=counts(db.path),
        seconds=round(time.perf_counter() - started, 2),
    )
