"""Deterministic demo data ("Voorbeeldgegevens laden", `kwaliteitsdialoog demo`).

Two scales (issue 2, DOMAIN.md §11): `small` (1 care office, 2 regions, ~20 providers, ~50
locations, 3 years) and `zorgkantoor` (the 11 Zilveren Kruis regions, ~400 providers with a
heavy tail, ~1,000 locations, 10 years, ~20 users). Every record type of the data model is
generated, with the score priors of DOMAIN.md §3 (T6 and T4 often an aandachtspunt, T1-T3
mostly fine) and the budget figures of §11 (reserve ~11% of turnover, 34% deviate, 83/17).

Same seed and same `today` -> the same database content, ids included: all randomness,
UUIDs too, comes from one seeded `random.Random`. Everything is written in one UnitOfWork,
so a cancelled or failed run leaves the database as it was.
"""

from __future__ import annotations

import math
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any

import yaml
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

from common.progress import Progress, Report, as_progress
from db.engine import Database
from db.errors import RuleViolation, UserFacingError, ValidationError
from db.models import (
    AppUser,
    BudgetCeiling,
    BudgetRequest,
    CareOffice,
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
    Region,
    ReviewEvent,
    SiteVisit,
    ThemeAssessment,
)
from db.repo import UnitOfWork
from desktop.services import demo_visits
from desktop.services.demo_budget import BudgetYears
from desktop.services.demo_budget_year import make_budget_year_money

CARE_OFFICE_CODE = "ZK"  # Zilveren Kruis: 11 regions since 2020 (DOMAIN.md §9)
ZK_REGIONS = (8, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29)
THEMES = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8")
SUBTHEMES = {
    "T1": 4,
    "T2": 5,
    "T3": 4,
    "T4": 4,
    "T5": 4,
    "T6": 3,
    "T7": 6,
    "T8": 3,
}
# Share of locations where a theme is an aandachtspunt (MODERATE/INSUFFICIENT), DOMAIN.md §3/§11:
# T6 74% and T4 >= 66% (Wol-scan), T1-T3 least often; the others in between.
ATTENTION_PRIOR = {
    "T1": 0.22,
    "T2": 0.25,
    "T3": 0.27,
    "T4": 0.66,
    "T5": 0.40,
    "T6": 0.74,
    "T7": 0.38,
    "T8": 0.36,
}
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


@dataclass(frozen=True)
class ScaleSpec:
    regions: tuple[int, ...]
    providers: int
    years: int
    big_providers: int  # providers with many locations (heavy tail)
    big_range: tuple[int, int]
    locations: int  # total, reached by nudging the tail of the distribution
    users: int
    visit_share: float  # share of locations visited per year (DOMAIN.md §11: 10-20%)


SCALES: dict[str, ScaleSpec] = {
    "small": ScaleSpec((26, 27), 20, 3, 1, (8, 10), 50, 6, 0.25),
    "zorgkantoor": ScaleSpec(ZK_REGIONS, 400, 10, 5, (20, 40), 1000, 20, 0.15),
    # Issue 18: 3x the zorgkantoor, about every nursing-home location in the country (~2,300)
    # and then some; for the slow benchmarks (tests/bench, KD_BENCH_NATIONAL=1).
    "national": ScaleSpec(ZK_REGIONS, 1200, 10, 15, (20, 40), 3000, 30, 0.15),
}
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


@dataclass(frozen=True)
class DemoReport:
    scale: str
    seed: int
    today: date
    counts: dict[str, int]
    seconds: float


class DemoCancelled(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            "Het laden van de voorbeeldgegevens is afgebroken; er is niets opgeslagen."
        )


ProgressLike = Progress | Report | None  # common.progress: a Progress or the older callback


def report_progress(
    progress: ProgressLike,
    done: int,
    total: int,
    text: str,
    cancelled: Callable[[], bool] | None = None,
) -> bool:
    """Report to `progress` (a Progress or a `(done, total, text)` callback); True when the
    user asked to stop (`cancelled()` or progress.cancelled)."""
    p = as_progress(progress, cancelled)
    p.report(done, total, text)
    return p.cancelled


def _res(name: str) -> dict:
    return yaml.safe_load(resources.files("resources.demo").joinpath(name).read_text("utf-8"))


@dataclass
class _Loc:
    id: str
    provider: _Prov
    region_id: str
    name: str
    capacity: int
    quality: float


@dataclass
class _Prov:
    id: str
    name: str
    region_id: str
    turnover: int
    quality: float
    purchaser: str
    advisor: str
    locations: list[_Loc] = field(default_factory=list)


class _Generator(BudgetYears):
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
        self.txt, self.places = _res("texts.yaml"), _res("places.yaml")
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

    # -- users ---------------------------------------------------------------------------------
    def make_letterhead(self) -> None:
        """Fictitious letterhead details for the demo care office (only where none are set), so
        the demo's decisions can become definitive letters."""
        office = self.uow.get(CareOffice, self.office_id)
        if office is not None and not office.postal_address:
            self.uow.update(
                office,
                postal_address="Postbus 1000",
                postcode="3700AA",
                place="Zeist",
                phone="088 000 12 34",
                email="zorgkantoor@voorbeeld.nl",
                website="www.voorbeeld.nl",
                kvk_number="12345678",
            )

    def make_users(self) -> None:
        n = self.spec.users
        if n <= 6:
            plan = [
                ["PURCHASER"],
                ["PURCHASER"],
                ["QUALITY_ADVISOR"],
                ["QUALITY_ADVISOR"],
                ["TEAM_LEAD"],
                ["PURCHASER", "TEAM_LEAD"],
            ]
        else:
            plan = (
                [["PURCHASER"]] * 8
                + [["QUALITY_ADVISOR"]] * 6
                + [["TEAM_LEAD"]] * 3
                + [["PURCHASER", "TEAM_LEAD"], ["QUALITY_ADVISOR", "PURCHASER"]]
            )
            plan += [["PURCHASER"]] * (n - len(plan))
        titles = {
            "PURCHASER": "Zorginkoper",
            "QUALITY_ADVISOR": "Kwaliteitsadviseur",
            "TEAM_LEAD": "Teamleider zorginkoop",
        }
        self.purchasers, self.advisors, self.leads = [], [], []
        self.user_roles: dict[str, list[str]] = {}
        self.user_names: dict[str, str] = {}
        initials_used: set[str] = set()
        for roles in plan[:n]:
            female = self.rng.random() < 0.6
            first = self.fake.first_name_female() if female else self.fake.first_name_male()
            last = self.fake.last_name()
            parts = last.split()
            ini = first[0] + "".join(
                p[0].lower() if i < len(parts) - 1 else p[0] for i, p in enumerate(parts)
            )
            base, k = ini, 2
            while ini.casefold() in initials_used:
                ini, k = f"{base}{k}", k + 1
            initials_used.add(ini.casefold())
            uid = self.uid()
            slug = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
            self.put(
                AppUser,
                dict(
                    id=uid,
                    name=f"{first} {last}",
                    initials=ini,
                    email=f"{slug}@zorgkantoor.voorbeeld.nl",
                    function_title=titles[roles[0]],
                    roles=list(roles),
                    care_office_id=self.office_id,
                ),
            )
            self.user_roles[uid] = list(roles)
            self.user_names[uid] = f"{first} {last} ({titles[roles[0]].lower()})"
            if "PURCHASER" in roles:
                self.purchasers.append(uid)
            if "QUALITY_ADVISOR" in roles:
                self.advisors.append(uid)
            if "TEAM_LEAD" in roles:
                self.leads.append(uid)

    # -- providers and locations ----------------------------------------------------------------
    def location_counts(self, n: int) -> list[int]:
        lo, hi = self.spec.big_range
        counts = [self.rng.randint(lo, hi) for _ in range(self.spec.big_providers)]
        for _ in range(n - len(counts)):
            u = self.rng.random()
            counts.append(
                1
                if u < 0.52
                else 2
                if u < 0.74
                else 3
                if u < 0.84
                else 4
                if u < 0.91
                else self.rng.randint(5, 8)
                if u < 0.975
                else self.rng.randint(9, 15)
            )
        # Nudge the tail (never the big providers) to the scale's location total.
        small = list(range(self.spec.big_providers, len(counts)))
        while sum(counts) > self.spec.locations and any(counts[i] > 1 for i in small):
            i = self.pick(small)
            if counts[i] > 1:
                counts[i] -= 1
        while sum(counts) < self.spec.locations:
            counts[self.pick(small)] += 1
        self.rng.shuffle(counts)
        return counts

    def name_root(self) -> str:
        return self.pick(self.txt["name_roots"]) + self.pick(self.txt["name_suffixes"])

    def unique_name(self, patterns: list[str], place: str) -> str:
        return self.unique(lambda: self.fill(self.pick(patterns), place), True)

    def fill(self, pattern: str, place: str) -> str:
        return pattern.format(
            root=self.name_root(), article=self.pick(self.txt["article_names"]), place=place
        )

    def address(self, region_id: str) -> tuple[str, str, str, str]:
        place, first, last = self.pick(self.region_places[region_id])
        letters = "ABCDEFGHJKLMNPRSTVWXZ"
        while True:
            pair = self.pick(list(letters)) + self.pick(list(letters))
            if pair not in {"SA", "SD", "SS"}:
                break
        pc = f"{self.rng.randint(first, last)}{pair}"
        return self.pick(self.places["streets"]), str(self.rng.randint(1, 180)), pc, place

    def person(self) -> tuple[str, str]:
        """(attention_of, salutation) for the letter to the chair of the board."""
        if self.rng.random() < 0.25:
            return "t.a.v. de Raad van Bestuur", "Geachte leden van de Raad van Bestuur,"
        female = self.rng.random() < 0.55
        first = self.fake.first_name_female() if female else self.fake.first_name_male()
        last = self.fake.last_name()
        initials = "".join(f"{p[0]}." for p in first.split())
        title = self.pick(self.txt["titles"])
        form = "mevrouw" if female else "de heer"
        aanhef = "mevrouw" if female else "heer"
        return (
            f"t.a.v. {form} {title}{initials} {last}, voorzitter Raad van Bestuur",
            f"Geachte {aanhef} {last[0].upper()}{last[1:]},",
        )

    def make_directory(self, n: int) -> None:
        self.providers: list[_Prov] = []
        self.locations: list[_Loc] = []
        targets = self.txt["target_groups"]
        for count in self.location_counts(n):
            region_id = self.pick(self.region_ids)
            street, number, pc, place = self.address(region_id)
            patterns = self.txt["single_provider_patterns" if count == 1 else "provider_patterns"]
            name = self.unique_name(patterns, place)
            quality = self.rng.gauss(0, 0.7)
            prov = _Prov(
                self.uid(),
                name,
                region_id,
                0,
                quality,
                self.pick(self.purchasers),
                self.pick(self.advisors),
            )
            capacities = []
            loc_rows = []
            for _ in range(count):
                # Large providers reach into a neighbouring region now and then.
                lregion = region_id if self.rng.random() < 0.85 else self.pick(self.region_ids)
                lstreet, lnumber, lpc, lplace = self.address(lregion)
                if count == 1:
                    lname = name.replace("Stichting ", "")
                else:
                    lname = self.unique_name(self.txt["location_patterns"], lplace)
                capacity = int(self.rng.triangular(30, 180, 70))
                capacities.append(capacity)
                groups = ["PG", "somatiek"] if self.rng.random() < 0.6 else [self.pick(targets[:2])]
                if self.rng.random() < 0.2:
                    groups.append(self.pick(targets[2:]))
                loc = _Loc(
                    self.uid(),
                    prov,
                    lregion,
                    lname,
                    capacity,
                    0.6 * quality + self.rng.gauss(0, 0.6),
                )
                loc_rows.append(
                    dict(
                        id=loc.id,
                        provider_id=prov.id,
                        region_id=lregion,
                        name=lname,
                        street=lstreet,
                        house_number=lnumber,
                        postcode=lpc,
                        place=lplace,
                        agb_code=self.digits(8, "73"),
                        kvk_branch_number=self.digits(12, "0000"),
                        capacity=capacity,
                        target_groups=groups,
                    )
                )
                prov.locations.append(loc)
                self.locations.append(loc)
            # VV4-VV10 production: roughly € 85k per place per year (seed data, S1 §4.2.3).
            prov.turnover = int(sum(capacities) * self.rng.uniform(78_000, 95_000)) // 1000 * 1000
            attention, salutation = self.person()
            self.put(
                Provider,
                dict(
                    id=prov.id,
                    name=name,
                    kvk_number=self.digits(8, str(self.rng.randint(4, 8))),
                    agb_code=self.digits(8, "73"),
                    street=street,
                    house_number=number,
                    postcode=pc,
                    place=place,
                    attention_of=attention,
                    salutation=salutation,
                    annual_turnover=prov.turnover,
                ),
            )
            for row in loc_rows:
                self.put(Location, row)
            self.providers.append(prov)

    # -- theme assessments, visits, follow-up actions ---------------------------------------------
    def rating(self, theme: str, quality: float, year: int) -> str:
        base = ATTENTION_PRIOR[theme]
        logit = math.log(base / (1 - base)) - 1.1 * quality - 0.06 * (year - self.years[0])
        p_bad = 1 / (1 + math.exp(-logit))
        if self.rng.random() < p_bad:
            return "INSUFFICIENT" if self.rng.random() < 0.22 else "MODERATE"
        return "GOOD" if self.rng.random() < 0.3 else "SUFFICIENT"

    def rationale(self, theme: str, rating: str) -> str:
        pool = self.txt["rationale"][theme]
        bad = rating in ("MODERATE", "INSUFFICIENT")
        first = self.pick(pool["bad"] if bad else pool["good"])
        if self.rng.random() < 0.5:
            second = self.pick(pool["good"] if bad else pool["bad"])
            joiner = "Wel: " if bad else "Aandachtspunt: "
            return f"{first} {joiner}{second[0].lower()}{second[1:]}"
        return first

    def make_quality_year(self, year: int) -> None:
        start, end = date(year, 1, 15), date(year, 11, 30)
        if start > self.today:
            return
        visited = self.choose_visits(year)
        visit_of: dict[str, tuple[str, date]] = {}
        self.year_visits = {}
        for loc in visited:
            vid, vday = visit_of[loc.id] = self.make_visit(loc, year)
            self.year_visits.setdefault(loc.provider.id, []).append((vid, loc.id, vday))
        ratings = ("GOOD", "SUFFICIENT", "MODERATE", "INSUFFICIENT")
        for loc in self.locations:
            loc.quality = 0.85 * loc.quality + 0.15 * loc.provider.quality + self.rng.gauss(0, 0.3)
            visit = visit_of.get(loc.id)
            for theme in THEMES:
                rating = self.rating(theme, loc.quality, year)
                linked = None
                if visit and self.rng.random() < 0.8:
                    linked, assessed = visit[0], visit[1] + timedelta(days=self.rng.randint(3, 30))
                    if assessed > self.today:
                        linked, assessed = None, self.date_in(start, visit[1])
                else:
                    assessed = self.date_in(start, end)
                subs = {}
                for i in range(1, SUBTHEMES[theme] + 1):
                    shift = self.rng.choice((-1, 0, 0, 0, 1))
                    idx = min(3, max(0, ratings.index(rating) + shift))
                    subs[f"{theme}.{i}"] = ratings[idx]
                sources = sorted({self.pick(self.txt["sources"]) for _ in range(2)})
                if linked:
                    sources = ["locatiebezoek", *[s for s in sources if s != "locatiebezoek"]]
                first_id = self.uid()
                self.put(
                    ThemeAssessment,
                    dict(
                        id=first_id,
                        location_id=loc.id,
                        theme_code=theme,
                        period_year=year,
                        rating=rating,
                        rationale=self.rationale(theme, rating),
                        sources=sources,
                        subtheme_ratings=subs,
                        linked_visit_id=linked,
                        assessed_on=assessed,
                        author_id=loc.provider.advisor,
                    ),
                )
                # Now and then the advisor revises the score later in the year: the new
                # assessment supersedes the old one, which stays visible as history.
                if self.rng.random() < 0.08:
                    later = assessed + timedelta(days=self.rng.randint(14, 60))
                    if later <= min(self.today, date(year, 12, 31)):
                        idx = ratings.index(rating) + self.rng.choice((-1, 1))
                        rating = ratings[min(3, max(0, idx))]
                        self.put(
                            ThemeAssessment,
                            dict(
                                id=self.uid(),
                                location_id=loc.id,
                                theme_code=theme,
                                period_year=year,
                                rating=rating,
                                rationale="Herzien na aanvullende informatie van de aanbieder. "
                                + self.rationale(theme, rating),
                                sources=sources,
                                subtheme_ratings=subs,
                                assessed_on=later,
                                author_id=loc.provider.advisor,
                                supersedes_id=first_id,
                            ),
                        )
                self.latest[(loc.id, theme)] = rating

    def choose_visits(self, year: int) -> list[_Loc]:
        """~visit_share of locations, at most two per provider, weighted to known concerns."""
        want = max(1, round(self.spec.visit_share * len(self.locations)))
        weighted = []
        for loc in self.locations:
            concerns = sum(
                self.latest.get((loc.id, t)) in ("MODERATE", "INSUFFICIENT") for t in THEMES
            )
            weighted.append((self.rng.random() ** (1 / (1 + concerns)), loc))
        weighted.sort(key=lambda x: -x[0])
        chosen: list[_Loc] = []
        per_provider: dict[str, int] = {}
        for _, loc in weighted:
            if per_provider.get(loc.provider.id, 0) >= 2:
                continue
            per_provider[loc.provider.id] = per_provider.get(loc.provider.id, 0) + 1
            chosen.append(loc)
            if len(chosen) >= want:
                break
        return chosen

    def make_visit(self, loc: _Loc, year: int) -> tuple[str, date]:
        visit_date = self.date_in(date(year, 2, 1), date(year, 11, 20))
        while visit_date.weekday() >= 5:
            visit_date -= timedelta(days=1)
        author = loc.provider.purchaser
        visitors = [author] + ([loc.provider.advisor] if self.rng.random() < 0.5 else [])
        recent = (self.today - visit_date).days < 14
        status = "DRAFT" if recent and self.rng.random() < 0.7 else "COMPLETED"
        observations = {t: self.latest.get((loc.id, t)) for t in THEMES}
        answers = demo_visits.answers(self, loc, visit_date, visitors, observations)
        if status == "COMPLETED":
            answers = demo_visits.finalize(answers, self.today)
        vid = self.uid()
        completed = min(self.today, visit_date + timedelta(days=self.rng.randint(0, 6)))
        self.put(
            SiteVisit,
            dict(
                id=vid,
                location_id=loc.id,
                form_id=demo_visits.FORM_ID,
                form_version=demo_visits.FORM_VERSION,
                status=status,
                visit_date=visit_date,
                answers=answers,
                author_id=author,
                completed_at=self.at(completed, 15) if status == "COMPLETED" else None,
                completed_by_id=author if status == "COMPLETED" else None,
                autosaved_at=self.at(visit_date, 13),
            ),
        )
        if status != "COMPLETED":
            return vid, visit_date
        # The form's follow-up rows become follow-up actions; sometimes the care office adds one.
        rows = [
            (r["action_description"], "PROVIDER", date.fromisoformat(r["action_due_date"]))
            for r in answers.get("actions", [])
        ]
        if self.rng.random() < 0.4:
            rows.append(
                (
                    self.pick(self.txt["actions"]["CARE_OFFICE"]),
                    "CARE_OFFICE",
                    visit_date + timedelta(days=self.rng.randint(28, 60)),
                )
            )
        for text, owner, due in rows:
            done = due < self.today - timedelta(days=10) and self.rng.random() < 0.85
            self.put(
                FollowUpAction,
                dict(
                    id=self.uid(),
                    location_id=loc.id,
                    visit_id=vid,
                    description=text,
                    owner=owner,
                    responsible_user_id=author if owner == "CARE_OFFICE" else None,
                    due_date=due,
                    status="DONE" if done else "OPEN",
                    done_at=self.at(due - timedelta(days=self.rng.randint(0, 20)), 11)
                    if done
                    else None,
                    done_by_id=author if done else None,
                ),
            )
        return vid, visit_date

    # -- kwaliteitsdiagnose notes ------------------------------------------------------------------
    def make_notes_year(self, year: int) -> None:
        if date(year, 1, 15) > self.today:
            return
        kinds = ("STRENGTH", "VULNERABILITY", "IMPROVEMENT_POINT", "SIGNAL")
        last_year = year == self.years[-1]
        for prov in self.providers:
            improvement_rank = 0
            for _ in range(self.rng.randint(2, 5)):
                kind = self.rng.choices(kinds, weights=(3, 2, 3, 2))[0]
                loc = self.pick(prov.locations) if self.rng.random() < 0.6 else None
                themes = sorted({self.pick(list(THEMES)) for _ in range(self.rng.randint(1, 2))})
                text = self.pick(self.txt["notes"][kind]).format(
                    topic=self.pick(self.txt["note_topics"])
                )
                priority = None
                if kind == "IMPROVEMENT_POINT" and last_year and improvement_rank < 3:
                    improvement_rank += 1
                    priority = improvement_rank
                source = self.pick(self.txt["note_sources"])
                noted_on = self.date_in(date(year, 1, 10), date(year, 12, 20))
                location_id = loc.id if loc else None
                visit_id, ref = None, ""
                visits = self.year_visits.get(prov.id)
                if visits and self.rng.random() < 0.5:
                    # An observation from this year's site visit, taken into the diagnosis.
                    visit_id, location_id, visit_day = self.pick(visits)
                    source, ref = "Locatiebezoek", f"visit:{visit_id}#{themes[0]}"
                    noted_on = min(self.today, visit_day + timedelta(days=self.rng.randint(1, 14)))
                self.put(
                    DiagnosisNote,
                    dict(
                        id=self.uid(),
                        provider_id=prov.id,
                        location_id=location_id,
                        kind=kind,
                        theme_codes=themes,
                        text=text,
                        source=source,
                        noted_on=noted_on,
                        author_id=self.pick([prov.advisor, prov.purchaser]),
                        top_priority=priority,
                        source_visit_id=visit_id,
                        source_ref=ref,
                    ),
                )


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
    from desktop.services.demo_letters import make_demo_letters

    make_demo_letters(db, progress=progress, cancelled=cancelled)
    from desktop.services.demo_outcomes import make_demo_outcomes

    make_demo_outcomes(db, seed=seed, today=today)
    return DemoReport(
        scale=scale,
        seed=seed,
        today=today,
        counts=counts(db.path),
        seconds=round(time.perf_counter() - started, 2),
    )
