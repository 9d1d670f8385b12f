"""Demo data, stage 2 (per year): theme assessments with the score priors of DOMAIN.md §3,
locatiebezoeken with their follow-up actions, and the kwaliteitsdiagnose notes."""

from __future__ import annotations

import math
from datetime import date, timedelta

import desktop.services.demo.visits as visit_forms
from db.models import DiagnosisNote, FollowUpAction, SiteVisit, ThemeAssessment
from desktop.services.demo.base import ATTENTION_PRIOR, SUBTHEMES, THEMES, DemoLocation
from desktop.services.demo.writer import DemoWriter


class QualityYears(DemoWriter):
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
                first = dict(
                    id=self.uid(),
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
                )
                self.put(ThemeAssessment, first)
                # Now and then the advisor revises the score later in the year: the new
                # assessment supersedes the old one, which stays visible as history.
                if self.rng.random() < 0.08:
                    later = assessed + timedelta(days=self.rng.randint(14, 60))
                    if later <= min(self.today, date(year, 12, 31)):
                        idx = ratings.index(rating) + self.rng.choice((-1, 1))
                        rating = ratings[min(3, max(0, idx))]
                        revised_id = self.uid()
                        rationale = "Herzien na aanvullende informatie van de aanbieder. "
                        self.put(
                            ThemeAssessment,
                            first
                            | dict(
                                id=revised_id,
                                rating=rating,
                                rationale=rationale + self.rationale(theme, rating),
                                linked_visit_id=None,
                                assessed_on=later,
                                supersedes_id=first["id"],
                            ),
                        )
                self.latest[(loc.id, theme)] = rating

    def choose_visits(self, year: int) -> list[DemoLocation]:
        """~visit_share of locations, at most two per provider, weighted to known concerns."""
        want = max(1, round(self.spec.visit_share * len(self.locations)))
        weighted = []
        for loc in self.locations:
            concerns = sum(
                self.latest.get((loc.id, t)) in ("MODERATE", "INSUFFICIENT") for t in THEMES
            )
            weighted.append((self.rng.random() ** (1 / (1 + concerns)), loc))
        weighted.sort(key=lambda x: -x[0])
        chosen: list[DemoLocation] = []
        per_provider: dict[str, int] = {}
        for _, loc in weighted:
            if per_provider.get(loc.provider.id, 0) >= 2:
                continue
            per_provider[loc.provider.id] = per_provider.get(loc.provider.id, 0) + 1
            chosen.append(loc)
            if len(chosen) >= want:
                break
        return chosen

    def make_visit(self, loc: DemoLocation, year: int) -> tuple[str, date]:
        visit_date = self.date_in(date(year, 2, 1), date(year, 11, 20))
        while visit_date.weekday() >= 5:
            visit_date -= timedelta(days=1)
        author = loc.provider.purchaser
        visitors = [author] + ([loc.provider.advisor] if self.rng.random() < 0.5 else [])
        recent = (self.today - visit_date).days < 14
        status = "DRAFT" if recent and self.rng.random() < 0.7 else "COMPLETED"
        observations = {t: self.latest.get((loc.id, t)) for t in THEMES}
        answers = visit_forms.answers(self, loc, visit_date, visitors, observations)
        if status == "COMPLETED":
            answers = visit_forms.finalize(answers, self.today)
        vid = self.uid()
        completed = min(self.today, visit_date + timedelta(days=self.rng.randint(0, 6)))
        self.put(
            SiteVisit,
            dict(
                id=vid,
                location_id=loc.id,
                form_id=visit_forms.FORM_ID,
                form_version=visit_forms.FORM_VERSION,
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
