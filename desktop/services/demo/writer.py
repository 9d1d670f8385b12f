"""Demo data: the generator's plumbing: one seeded random source (ids too), the buffered
writer that inserts table by table, progress ticks and unique names. Every stage of the demo
(directory, quality, budget) is a subclass of DemoWriter."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import SQLModel

from db.engine import Database
from db.models import (
    AppUser,
    BudgetCeiling,
    BudgetRequest,
    Clarification,
    CriterionJudgement,
    DeviationRequest,
    DiagnosisNote,
    FollowUpAction,
    Location,
    LocationImprovementItem,
    PlanAssessment,
    Provider,
    QualityPlan,
    ReviewEvent,
    SiteVisit,
    ThemeAssessment,
)
from db.repo import UnitOfWork
from desktop.services.demo.base import (
    DemoCancelled,
    DemoLocation,
    DemoProvider,
    ProgressLike,
    ScaleSpec,
    report_progress,
    resource,
)

_FLUSH_AT = 4000
# Parent tables first: each batch is written table by table in this order (foreign keys).
_TABLE_ORDER = (
    AppUser,
    Provider,
    Location,
    SiteVisit,
    ThemeAssessment,
    FollowUpAction,
    QualityPlan,
    LocationImprovementItem,
    PlanAssessment,
    BudgetRequest,
    DiagnosisNote,
    DeviationRequest,
    CriterionJudgement,
    Clarification,
    ReviewEvent,
    BudgetCeiling,
)
# Qualifiers for a name whose word lists ran out (the national scale): a name is made unique
# combinatorially instead of by drawing again (the zorgkantoor scale never gets here, so its
# data stays the same).
_NAME_QUALIFIERS = (
    "Noord",
    "Zuid",
    "Oost",
    "West",
    "Centrum",
    "aan de Dijk",
    "aan het Water",
    "in het Park",
    "aan de Brink",
    "bij de Kerk",
)


class DemoWriter:
    """State and plumbing shared by the stages of one demo run."""

    # Set by the stages, in the order they run (run(), make_users, make_directory).
    uow: UnitOfWork
    office_id: str
    region_ids: list[str]
    region_places: dict[str, Any]
    purchasers: list[str]
    advisors: list[str]
    leads: list[str]
    user_roles: dict[str, list[str]]
    user_names: dict[str, str]
    providers: list[DemoProvider]
    locations: list[DemoLocation]

    def __init__(
        self,
        db: Database,
        spec: ScaleSpec,
        seed: int,
        today: date,
        progress: ProgressLike,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        from faker import Faker

        self.db, self.spec, self.today, self.seed = db, spec, today, seed
        self.rng = random.Random(seed)
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed)
        self.progress, self.cancelled = progress, cancelled
        self.txt, self.places = resource("texts.yaml"), resource("places.yaml")
        self.years = list(range(today.year - spec.years + 1, today.year + 1))
        self.buffers: dict[type, list[dict[str, Any]]] = {cls: [] for cls in _TABLE_ORDER}
        self.pending = 0
        self.used: set[str] = set()
        self.step, self.total_steps = 0, 0
        self.latest: dict[tuple[str, str], str] = {}  # (location, theme) -> rating
        self.reviews: list[tuple[str, list]] = []
        self.year_visits: dict[str, list[tuple[str, str, date]]] = {}

    # -- plumbing ----------------------------------------------------------------------------
    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def put(self, model: type[SQLModel], row: dict[str, Any]) -> None:
        self.buffers[model].append(row)
        self.pending += 1
        if self.pending >= _FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        for model in _TABLE_ORDER:
            batch = self.buffers[model]
            if batch:
                self.uow.insert_rows(model, batch)  # type: ignore[arg-type]
                self.buffers[model] = []
        self.pending = 0

    def tick(self, text: str) -> None:
        self.step += 1
        p = self.progress
        stop = report_progress(p, self.step, self.total_steps, text, self.cancelled)
        check = getattr(p, "check", None)
        if check is not None:
            check()  # the UI's Progress raises its own Cancelled
        if stop:
            raise DemoCancelled()

    def unique(self, make: Callable[[], str], qualify: bool = False) -> str:
        for _ in range(200):
            v = make()
            if v not in self.used:
                self.used.add(v)
                return v
        if qualify:  # the word lists ran out: qualifier, then a number (combinatorial)
            for i in range(2, 10_000):
                for q in _NAME_QUALIFIERS:
                    name = f"{v} {q}" if i == 2 else f"{v} {q} {i}"
                    if name not in self.used:
                        self.used.add(name)
                        return name
        raise RuntimeError("no unique value")  # pragma: no cover

    def digits(self, n: int, prefix: str = "") -> str:
        return self.unique(
            lambda: prefix + "".join(str(self.rng.randint(0, 9)) for _ in range(n - len(prefix)))
        )

    def date_in(self, start: date, end: date) -> date:
        end = min(end, self.today)
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def at(self, d: date, hour: int) -> datetime:
        return datetime(d.year, d.month, d.day, hour, self.rng.randint(0, 59), tzinfo=UTC)

    def pick(self, items: list) -> Any:
        return items[self.rng.randrange(len(items))]
