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

import hashlib
import math
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

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

CARE_OFFICE_CODE = "ZK"  # Zilveren Kruis: 11 regions since 2020 (DOMAIN.md §9)
ZK_REGIONS = (8, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29)
THEMES = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8")
SUBTHEMES = {
    "T1": 4, "T2": 5, "T3": 4, "T4": 4, "T5": 4, "T6": 3, "T7": 6, "T8": 3,
}
# Share of locations where a theme is an aandachtspunt (MODERATE/INSUFFICIENT), DOMAIN.md §3/§11:
# T6 74% and T4 >= 66% (Wol-scan), T1-T3 least often; the others in between.
ATTENTION_PRIOR = {
    "T1": 0.22, "T2": 0.25, "T3": 0.27, "T4": 0.66, "T5": 0.40, "T6": 0.74, "T7": 0.38, "T8": 0.36,
}
CRITERIA = (
    "C1_FRAMEWORK_GOALS", "C2_CLIENT_NEEDS", "C3_PROVIDER_CHARACTERISTICS",
    "C4_REGION_CHARACTERISTICS", "C5_LEARNING_IMPROVING", "C6_SHARES_LEARNING",
    "C7_INNOVATIVE_TECH", "C8_SUPPORT", "C9_SCALING_CONTINUATION", "C10_BUSINESS_CASE",
)
CENT = Decimal("0.01")
_FLUSH_AT = 4000
# Parent tables first: each batch is written table by table in this order (foreign keys).
_TABLE_ORDER = (
    AppUser, Provider, Location, SiteVisit, ThemeAssessment, FollowUpAction, QualityPlan,
    LocationImprovementItem, PlanAssessment, BudgetRequest, DiagnosisNote, DeviationRequest,
    CriterionJudgement, Clarification, ReviewEvent, BudgetCeiling,
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
}


@dataclass(frozen=True)
class DemoReport:
    scale: str
    seed: int
    today: date
    counts: dict[str, int]
    seconds: float


class DemoCancelled(UserFacingError):
    def __init__(self) -> None:
        super().__init__("Het laden van de voorbeeldgegevens is afgebroken; er is niets opgeslagen.")


ProgressLike = Any  # callable(done, total, text) or an object with .report(...) and .cancelled


@cache
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


class _Generator:
    def __init__(self, db: Database, spec: ScaleSpec, seed: int, today: date,
                 progress: ProgressLike, cancelled: Callable[[], bool] | None) -> None:
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
        if p is not None:
            if hasattr(p, "report"):
                p.report(self.step, self.total_steps, text)
            else:
                p(self.step, self.total_steps, text)
        if hasattr(p, "check"):
            p.check()  # the UI's Progress raises its own Cancelled
        if (self.cancelled is not None and self.cancelled()) or getattr(p, "cancelled", False) is True:
            raise DemoCancelled()

    def unique(self, make: Callable[[], str]) -> str:
        for _ in range(200):
            v = make()
            if v not in self.used:
                self.used.add(v)
                return v
        raise RuntimeError("no unique value")  # pragma: no cover

    def digits(self, n: int, prefix: str = "") -> str:
        return self.unique(lambda: prefix + "".join(
            str(self.rng.randint(0, 9)) for _ in range(n - len(prefix))))

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
            raise RuleViolation("De database heeft nog geen referentiegegevens; voer eerst 'init' uit.")
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
            self.tick("Opslaan")

    # -- users ---------------------------------------------------------------------------------
    def make_letterhead(self) -> None:
        """Fictitious letterhead details for the demo care office (only where none are set), so
        the demo's decisions can become definitive letters."""
        office = self.uow.get(CareOffice, self.office_id)
        if office is not None and not office.postal_address:
            self.uow.update(office, postal_address="Postbus 1000", postcode="3700AA", place="Zeist",
                            phone="088 000 12 34", email="zorgkantoor@voorbeeld.nl",
                            website="www.voorbeeld.nl", kvk_number="12345678")

    def make_users(self) -> None:
        n = self.spec.users
        if n <= 6:
            plan = [["PURCHASER"], ["PURCHASER"], ["QUALITY_ADVISOR"], ["QUALITY_ADVISOR"],
                    ["TEAM_LEAD"], ["PURCHASER", "TEAM_LEAD"]]
        else:
            plan = ([["PURCHASER"]] * 8 + [["QUALITY_ADVISOR"]] * 6 + [["TEAM_LEAD"]] * 3
                    + [["PURCHASER", "TEAM_LEAD"], ["QUALITY_ADVISOR", "PURCHASER"]])
            plan += [["PURCHASER"]] * (n - len(plan))
        titles = {"PURCHASER": "Zorginkoper", "QUALITY_ADVISOR": "Kwaliteitsadviseur",
                  "TEAM_LEAD": "Teamleider zorginkoop"}
        self.purchasers, self.advisors, self.leads = [], [], []
        self.user_roles: dict[str, list[str]] = {}
        self.user_names: dict[str, str] = {}
        initials_used: set[str] = set()
        for roles in plan[:n]:
            female = self.rng.random() < 0.6
            first = self.fake.first_name_female() if female else self.fake.first_name_male()
            last = self.fake.last_name()
            parts = last.split()
            ini = first[0] + "".join(p[0].lower() if i < len(parts) - 1 else p[0]
                                     for i, p in enumerate(parts))
            base, k = ini, 2
            while ini.casefold() in initials_used:
                ini, k = f"{base}{k}", k + 1
            initials_used.add(ini.casefold())
            uid = self.uid()
            slug = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
            self.put(AppUser, dict(id=uid, name=f"{first} {last}", initials=ini,
                             email=f"{slug}@zorgkantoor.voorbeeld.nl",
                             function_title=titles[roles[0]], roles=list(roles),
                             care_office_id=self.office_id))
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
            counts.append(1 if u < 0.52 else 2 if u < 0.74 else 3 if u < 0.84 else 4 if u < 0.91
                          else self.rng.randint(5, 8) if u < 0.975 else self.rng.randint(9, 15))
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

    def fill(self, pattern: str, place: str) -> str:
        return pattern.format(root=self.name_root(), article=self.pick(self.txt["article_names"]),
                              place=place)

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
        return (f"t.a.v. {form} {title}{initials} {last}, voorzitter Raad van Bestuur",
                f"Geachte {aanhef} {last[0].upper()}{last[1:]},")

    def make_directory(self, n: int) -> None:
        self.providers: list[_Prov] = []
        self.locations: list[_Loc] = []
        targets = self.txt["target_groups"]
        for count in self.location_counts(n):
            region_id = self.pick(self.region_ids)
            street, number, pc, place = self.address(region_id)
            patterns = self.txt["single_provider_patterns" if count == 1 else "provider_patterns"]
            name = self.unique(lambda ps=patterns, pl=place: self.fill(self.pick(ps), pl))
            quality = self.rng.gauss(0, 0.7)
            prov = _Prov(self.uid(), name, region_id, 0, quality, self.pick(self.purchasers),
                         self.pick(self.advisors))
            capacities = []
            loc_rows = []
            for _ in range(count):
                # Large providers reach into a neighbouring region now and then.
                lregion = region_id if self.rng.random() < 0.85 else self.pick(self.region_ids)
                lstreet, lnumber, lpc, lplace = self.address(lregion)
                if count == 1:
                    lname = name.replace("Stichting ", "")
                else:
                    lname = self.unique(lambda r=lplace: self.fill(
                        self.pick(self.txt["location_patterns"]), r))
                capacity = int(self.rng.triangular(30, 180, 70))
                capacities.append(capacity)
                groups = ["PG", "somatiek"] if self.rng.random() < 0.6 else [self.pick(targets[:2])]
                if self.rng.random() < 0.2:
                    groups.append(self.pick(targets[2:]))
                loc = _Loc(self.uid(), prov, lregion, lname, capacity,
                           0.6 * quality + self.rng.gauss(0, 0.6))
                loc_rows.append(dict(
                    id=loc.id, provider_id=prov.id, region_id=lregion, name=lname, street=lstreet,
                    house_number=lnumber, postcode=lpc, place=lplace,
                    agb_code=self.digits(8, "73"), kvk_branch_number=self.digits(12, "0000"),
                    capacity=capacity, target_groups=groups))
                prov.locations.append(loc)
                self.locations.append(loc)
            # VV4-VV10 production: roughly € 85k per place per year (seed data, S1 §4.2.3).
            prov.turnover = int(sum(capacities) * self.rng.uniform(78_000, 95_000)) // 1000 * 1000
            attention, salutation = self.person()
            self.put(Provider, dict(id=prov.id, name=name, kvk_number=self.digits(8, str(self.rng.randint(4, 8))),
                              agb_code=self.digits(8, "73"), street=street, house_number=number,
                              postcode=pc, place=place, attention_of=attention,
                              salutation=salutation, annual_turnover=prov.turnover))
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
        self.year_visits: dict[str, list[tuple[str, str, date]]] = {}
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
                self.put(ThemeAssessment, dict(
                    id=first_id, location_id=loc.id, theme_code=theme, period_year=year,
                    rating=rating, rationale=self.rationale(theme, rating), sources=sources,
                    subtheme_ratings=subs, linked_visit_id=linked, assessed_on=assessed,
                    author_id=loc.provider.advisor))
                # Now and then the advisor revises the score later in the year: the new
                # assessment supersedes the old one, which stays visible as history.
                if self.rng.random() < 0.08:
                    later = assessed + timedelta(days=self.rng.randint(14, 60))
                    if later <= min(self.today, date(year, 12, 31)):
                        idx = ratings.index(rating) + self.rng.choice((-1, 1))
                        rating = ratings[min(3, max(0, idx))]
                        self.put(ThemeAssessment, dict(
                            id=self.uid(), location_id=loc.id, theme_code=theme, period_year=year,
                            rating=rating,
                            rationale="Herzien na aanvullende informatie van de aanbieder. "
                                      + self.rationale(theme, rating),
                            sources=sources, subtheme_ratings=subs, assessed_on=later,
                            author_id=loc.provider.advisor, supersedes_id=first_id))
                self.latest[(loc.id, theme)] = rating

    def choose_visits(self, year: int) -> list[_Loc]:
        """~visit_share of locations, at most two per provider, weighted to known concerns."""
        want = max(1, round(self.spec.visit_share * len(self.locations)))
        weighted = []
        for loc in self.locations:
            concerns = sum(self.latest.get((loc.id, t)) in ("MODERATE", "INSUFFICIENT")
                           for t in THEMES)
            weighted.append((self.rng.random() ** (1 / (1 + concerns)), loc))
        weighted.sort(key=lambda x: -x[0])
        chosen, per_provider = [], {}
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
        self.put(SiteVisit, dict(
            id=vid, location_id=loc.id, form_id=demo_visits.FORM_ID,
            form_version=demo_visits.FORM_VERSION, status=status, visit_date=visit_date,
            answers=answers, author_id=author,
            completed_at=self.at(completed, 15) if status == "COMPLETED" else None,
            completed_by_id=author if status == "COMPLETED" else None,
            autosaved_at=self.at(visit_date, 13)))
        if status != "COMPLETED":
            return vid, visit_date
        # The form's follow-up rows become follow-up actions; sometimes the care office adds one.
        rows = [(r["action_description"], "PROVIDER", date.fromisoformat(r["action_due_date"]))
                for r in answers.get("actions", [])]
        if self.rng.random() < 0.4:
            rows.append((self.pick(self.txt["actions"]["CARE_OFFICE"]), "CARE_OFFICE",
                         visit_date + timedelta(days=self.rng.randint(28, 60))))
        for text, owner, due in rows:
            done = due < self.today - timedelta(days=10) and self.rng.random() < 0.85
            self.put(FollowUpAction, dict(
                id=self.uid(), location_id=loc.id, visit_id=vid, description=text, owner=owner,
                responsible_user_id=author if owner == "CARE_OFFICE" else None, due_date=due,
                status="DONE" if done else "OPEN",
                done_at=self.at(due - timedelta(days=self.rng.randint(0, 20)), 11) if done else None,
                done_by_id=author if done else None))
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
                    topic=self.pick(self.txt["note_topics"]))
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
                self.put(DiagnosisNote, dict(
                    id=self.uid(), provider_id=prov.id, location_id=location_id,
                    kind=kind, theme_codes=themes, text=text, source=source, noted_on=noted_on,
                    author_id=self.pick([prov.advisor, prov.purchaser]), top_priority=priority,
                    source_visit_id=visit_id, source_ref=ref))

    # -- kwaliteitsplannen and budget requests ---------------------------------------------------
    def money(self, value: float | Decimal) -> Decimal:
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)

    def make_budget_year(self, year: int) -> None:
        # Budget grew from 2019 to 2021 (€ 600 / 1.100 / 1.450 mln, DOMAIN.md §7); full reserve
        # is ~11% of VV4-VV10 turnover (S1 §4.2.3), indexed 2% a year after that.
        growth = min(1.0, 0.45 + 0.18 * max(0, year - 2017)) * 1.02 ** max(0, year - 2021)
        reserved_sum: dict[str | None, Decimal] = {}
        self.approved_sum: dict[str | None, Decimal] = {}
        for prov in self.providers:
            received = date(year - 1, 9, 1) + timedelta(days=self.rng.randint(0, 121))
            reserved = self.money(round(prov.turnover * 0.11 * growth / 100) * 100)
            reserved_sum[None] = reserved_sum.get(None, Decimal(0)) + reserved
            reserved_sum[prov.region_id] = reserved_sum.get(prov.region_id, Decimal(0)) + reserved
            if received > self.today:
                continue
            plan_id = self.make_plan(prov, year, received)
            self.make_request(prov, year, received, reserved, plan_id)
            self.make_plan_assessment(prov, plan_id, received)
        if year <= self.today.year + 1:
            # The ceiling leaves some room above the reserves and always holds what was
            # approved: Σ approved ≤ regional budget (S1 §4.2.10).
            for region_id, total in reserved_sum.items():
                need = max(total * Decimal("1.03"),
                           self.approved_sum.get(region_id, Decimal(0)) * Decimal("1.01"))
                self.put(BudgetCeiling, dict(
                    id=self.uid(), care_office_id=self.office_id, region_id=region_id, year=year,
                    amount=Decimal(math.ceil(need / 1000) * 1000).quantize(CENT)))

    def make_plan(self, prov: _Prov, year: int, received: date) -> str:
        pid = self.uid()
        self.put(QualityPlan, dict(
            id=pid, provider_id=prov.id, year=year, received_date=received,
            title=f"Kwaliteitsplan {year} {prov.name}",
            consent_nursing_council=year >= 2020 and self.rng.random() < 0.9,
            author_id=prov.advisor))
        for loc in prov.locations:
            for _ in range(self.rng.randint(1, 2)):
                item = self.pick(self.txt["improvement_items"])
                self.put(LocationImprovementItem, dict(
                    id=self.uid(), quality_plan_id=pid, location_id=loc.id,
                    theme_code=self.pick(["T1", "T2", "T3", "T4", "T6", "T6", "T7"]),
                    what=item["what"], intended_result=item["result"], needed=item["needed"],
                    monitoring=item["monitoring"]))
        return pid

    def make_plan_assessment(self, prov: _Prov, plan_id: str, received: date) -> None:
        """The advisor's assessment of the plan on the checks form: completed some weeks after
        receipt, a draft while that moment has not come yet."""
        done_on = received + timedelta(days=self.rng.randint(14, 35))
        if (self.today - received).days < 7:
            return  # not started yet
        complete = done_on <= self.today
        self.put(PlanAssessment, dict(
            id=self.uid(), quality_plan_id=plan_id, form_id=demo_visits.PLAN_FORM_ID,
            form_version=demo_visits.PLAN_FORM_VERSION,
            answers=demo_visits.plan_answers(self, prov.quality, complete, self.today),
            status="COMPLETED" if complete else "DRAFT", author_id=prov.advisor))

    def make_request(self, prov: _Prov, year: int, received: date, reserved: Decimal,
                     plan_id: str) -> None:
        rng = self.rng
        u = rng.random()  # S3 2021: 2% lower, 60% equal, 38% higher than the initial budget
        factor = rng.uniform(0.9, 0.98) if u < 0.02 else 1.0 if u < 0.62 else rng.uniform(1.02, 1.2)
        total = self.money(round(float(reserved) * factor / 100) * 100)
        deviating = rng.random() < 0.34  # S3: 34% ask for a deviation; average split 83/17
        other_pct = Decimal(str(round(rng.uniform(17, 26) * 2) / 2)) if deviating else Decimal(15)
        staff = self.money(total * (100 - other_pct) / 100)
        other = total - staff
        special = rng.random() < 0.08
        decide_days = rng.randint(42, 90) if special else rng.randint(18, 42)
        decided_on = received + timedelta(days=decide_days)
        author = prov.purchaser
        rid = self.uid()
        fields: dict[str, Any] = {}
        clar_open = False
        events: list[tuple[str, str, date, str]] = []
        if decided_on <= self.today:
            withdrawn = rng.random() < 0.01
            if withdrawn:
                fields.update(state="WITHDRAWN")
            else:
                decision = ("APPROVED" if not deviating and rng.random() < 0.9 else
                            rng.choices(("APPROVED", "APPROVED_ADJUSTED", "REJECTED"),
                                        weights=(50, 35, 15))[0])
                fields.update(decision=decision, decided_on=decided_on,
                              decision_rationale=self.txt["decision_rationale"][decision],
                              custom_agreements=self.pick(self.txt["custom_agreements"]),
                              improvement_points=[self.pick(self.txt["notes"]["IMPROVEMENT_POINT"])
                                                  .format(topic=t) for t in
                                                  rng.sample(self.txt["note_topics"], 3)])
                if decision == "APPROVED":
                    fields.update(approved_total=total, approved_staff_amount=staff,
                                  approved_other_amount=other)
                elif decision == "APPROVED_ADJUSTED":
                    adj_total = min(total, self.money(round(float(total) * rng.uniform(0.9, 1.0))))
                    adj_other_pct = Decimal(15) if not deviating else min(other_pct, Decimal(18))
                    adj_staff = self.money(adj_total * (100 - adj_other_pct) / 100)
                    fields.update(approved_total=adj_total, approved_staff_amount=adj_staff,
                                  approved_other_amount=adj_total - adj_staff)
                state = "DECIDED"
                sent = decided_on + timedelta(days=rng.randint(2, 10))
                if sent <= self.today:
                    state, fields["letter_sent_on"] = "LETTER_SENT", sent
                    signed = sent + timedelta(days=rng.randint(14, 40))
                    if decision != "REJECTED" and signed <= self.today:
                        state, fields["addendum_signed_on"] = "ADDENDUM_SIGNED", signed
                if decision == "REJECTED" and rng.random() < 0.1:
                    state = "IN_MEDIATION"
                    fields["mediation"] = {"started": (decided_on + timedelta(days=21)).isoformat(),
                                           "mediator": "Onafhankelijk mediator (NMI)",
                                           "outcome": ""}
                fields["state"] = state
                lead = self.pick([x for x in self.leads if x != author])
                if rng.random() < 0.1:
                    events += [("SUBMITTED", author, decided_on - timedelta(days=6), ""),
                               ("REJECTED", lead, decided_on - timedelta(days=4),
                                "Graag de onderbouwing per criterium aanvullen.")]
                events += [("SUBMITTED", author, decided_on - timedelta(days=2), ""),
                           ("APPROVED", lead, decided_on, "Akkoord.")]
        else:
            elapsed = (self.today - received).days / decide_days
            state = "RECEIVED" if elapsed < 0.25 else "IN_REVIEW" if elapsed < 0.7 else "AWAITING_FOUR_EYES"
            if state == "IN_REVIEW" and deviating and rng.random() < 0.4:
                state, clar_open = "CLARIFICATION_REQUESTED", True
            if state == "AWAITING_FOUR_EYES":
                events.append(("SUBMITTED", author, self.today - timedelta(days=rng.randint(0, 3)), ""))
            fields["state"] = state
        self.put(BudgetRequest, dict(
            id=rid, provider_id=prov.id, care_office_id=self.office_id, region_id=prov.region_id,
            quality_plan_id=plan_id, budget_year=year,
            external_reference=f"KB-{year}-{rng.randint(1, 9999):04d}", received_date=received,
            letter_date=received - timedelta(days=rng.randint(0, 3)),
            initial_reserved_amount=reserved, requested_total=total, requested_staff_amount=staff,
            requested_other_amount=other,
            justification=self.pick(self.txt["justification"]["deviating" if deviating else "standard"]),
            has_special_circumstances=special, author_id=author, **fields))
        approved = fields.get("approved_total")
        if approved is not None and fields.get("state") != "WITHDRAWN":
            for key in (None, prov.region_id):
                self.approved_sum[key] = self.approved_sum.get(key, Decimal(0)) + approved
        if deviating:
            self.make_deviation(prov, rid, received, fields, clar_open)
        if events:
            self.reviews.append((rid, [(*e, self.uid(), self.at(e[2], 10 + i))
                                       for i, e in enumerate(events)]))

    def make_reviews(self) -> None:
        """Vier-ogen events name the content hash of the request as written (review.py), so
        demo approvals count as valid approvals; written last, after all content."""
        self.flush()
        hasher = _content_hasher(self.uow.session)
        for rid, events in self.reviews:
            digest = hasher(rid) or _placeholder_hash(rid)
            for kind, actor, _day, comment, eid, at in events:
                self.put(ReviewEvent, dict(id=eid, subject_type="budget_request", subject_id=rid,
                                     kind=kind, actor_id=actor, content_hash=digest,
                                     comment=comment, at=at))

    def make_deviation(self, prov: _Prov, rid: str, received: date, fields: dict,
                       clar_open: bool) -> None:
        rng = self.rng
        self.put(DeviationRequest, dict(
            id=self.uid(), budget_request_id=rid,
            client_group_profile=self.pick(self.txt["client_groups"]),
            support_evidence={"clients": True, "staff": rng.random() < 0.9, "board": True,
                              "supervisory_board": rng.random() < 0.8},
            innovation_description=self.pick(self.txt["innovation"]),
            scaling_vision=self.pick(self.txt["scaling"]),
            shares_learning_in_region=rng.random() < 0.7,
            business_case_reference=f"Businesscase {prov.name} {received.year + 1}.pdf"))
        decision = fields.get("decision")
        state = fields.get("state")
        if decision or state in ("IN_REVIEW", "CLARIFICATION_REQUESTED", "AWAITING_FOUR_EYES"):
            weights = {"APPROVED": (80, 18, 2), "APPROVED_ADJUSTED": (50, 40, 10),
                       "REJECTED": (25, 35, 40)}.get(decision or "", (60, 30, 10))
            judged = CRITERIA if decision or state == "AWAITING_FOUR_EYES" else \
                CRITERIA[: rng.randint(2, 8)]
            for crit in judged:
                j = rng.choices(("MEETS", "PARTLY", "DOES_NOT_MEET"), weights=weights)[0]
                self.put(CriterionJudgement, dict(
                    id=self.uid(), budget_request_id=rid, criterion=crit, judgement=j,
                    reasoning=self.pick(self.txt["criteria"][j]), author_id=prov.purchaser))
        if clar_open or rng.random() < 0.3:
            for k in range(1 if clar_open else rng.randint(1, 2)):
                qa = self.pick(self.txt["clarifications"])
                asked = min(self.today, received + timedelta(days=7 + 10 * k + rng.randint(0, 5)))
                answered = asked + timedelta(days=rng.randint(5, 12))
                done = not clar_open and answered <= self.today
                self.put(Clarification, dict(
                    id=self.uid(), budget_request_id=rid, question=qa["q"], asked_on=asked,
                    answer=qa["a"] if done else "", answered_on=answered if done else None))


def _placeholder_hash(subject_id: str) -> str:
    return hashlib.sha256(f"demo:{subject_id}".encode()).hexdigest()


def _content_hasher(session: Any) -> Callable[[str], str | None]:
    """The review service's content hash of a budget request, inside our transaction."""
    try:
        from desktop.services import review

        hash_in = review._hash_in  # same rule as a real submission
    except (ImportError, AttributeError):  # pragma: no cover - review service not present
        return lambda rid: None
    broken: list[bool] = []

    def digest(rid: str) -> str | None:
        if broken:
            return None
        try:
            return hash_in(session, "budget_request", rid)
        except ImportError:  # the requests service (its SubjectSpec) is not installed
            broken.append(True)
            return None

    return digest


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
        raise ValidationError("scale", f"Onbekende omvang '{scale}'; kies small of zorgkantoor.")
    started = time.perf_counter()
    today = today or date.today()
    _Generator(db, SCALES[scale], seed, today, progress, cancelled).run()
    from desktop.services.demo_letters import make_demo_letters

    make_demo_letters(db, progress=progress, cancelled=cancelled)
    return DemoReport(scale=scale, seed=seed, today=today, counts=counts(db.path),
                      seconds=round(time.perf_counter() - started, 2))
