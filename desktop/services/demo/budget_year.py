"""Demo data for the budget year after the decision (issue 16): realisation reports with fte
and rondrekening, an approved herschikking round per past year (underspenders down to their
projection), and the approved nacalculatie of every year whose NZa date has passed.

Behaviour per provider (stable over the years, seeded): most spend close to plan, about one in
six underspends (around 69% of the agreement, the ActiZ monitor's figure for partial spenders,
S3), a few overspend, some report late or not at all. Uses its own `random.Random` derived from
the demo seed, so the rest of the demo data stays exactly as it was; same seed and `today`,
same data.

Assumption for the fte figures (demo only): € 62.000 per extra fte per year.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from db.models import AppUser, BudgetRequest, Location, ReviewEvent
from db.models.budget_year import (
    FinalSettlement,
    RealisationReport,
    ReallocationProposal,
    ReallocationRound,
)
from desktop.services.budget_year.advances import monthly_cents, with_reallocation
from desktop.services.budget_year.agreements import (
    COUNTING_STATES,
    approved_parts,
    cents,
    euros,
    parts,
)
from desktop.services.budget_year.nacalculatie import settle
from desktop.services.budget_year.realisation import Period
from desktop.services.letters.cycle import cycle_dates

CENT = Decimal("0.01")
FTE_COST = Decimal(62000)
# profile -> (share of providers, spend ratio range)
PROFILES = (
    ("PLAN", 0.70, (0.935, 0.99)),
    ("UNDER", 0.17, (0.58, 0.80)),
    ("OVER", 0.08, (1.05, 1.18)),
    ("SILENT", 0.05, (0.85, 1.0)),
)


def _q(x: Decimal | float) -> Decimal:
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


class _Money:
    def __init__(self, uow: Any, seed: int, today: date) -> None:
        self.uow, self.today = uow, today
        self.rng = random.Random(f"kwaliteitsdialoog-budget-year-{seed}")
        self.profiles: dict[str, tuple[str, float, float, bool]] = {}
        self.rounds: dict[tuple[str, int], list[tuple[Any, Decimal, Decimal, Decimal, str]]] = {}

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def assign_profiles(self, provider_ids: list[str]) -> None:
        """Profiles by quota over the shuffled providers (at least one of each from ten
        providers on), each with its own spend ratio, split drift and lateness."""
        ids = sorted(set(provider_ids))
        self.rng.shuffle(ids)
        n, start = len(ids), 0
        for i, (name, share, (lo, hi)) in enumerate(PROFILES):
            count = (
                n - start if i == len(PROFILES) - 1 else max(1 if n >= 10 else 0, round(n * share))
            )
            for pid in ids[start : start + count]:
                drift = self.rng.choices((0.0, 8.0, -7.0), weights=(85, 8, 7))[0]
                self.profiles[pid] = (
                    name,
                    self.rng.uniform(lo, hi),
                    drift,
                    self.rng.random() < 0.12,
                )
            start += count

    def profile(self, provider_id: str) -> tuple[str, float, float, bool]:
        """(profile, spend ratio, other-share drift in points, reports late)."""
        return self.profiles.get(provider_id, ("PLAN", 0.97, 0.0, False))

    def received(self, due: date, late: bool) -> date:
        if late and self.rng.random() < 0.6:
            return due + timedelta(days=self.rng.randint(1, 25))
        return due - timedelta(days=self.rng.randint(0, 20))

    def run(self) -> dict[str, int]:
        s = self.uow.session
        capacity = dict(
            s.exec(
                select(Location.provider_id, func.sum(Location.capacity)).group_by(  # type: ignore[call-overload]
                    Location.provider_id
                )
            ).all()
        )
        leads = sorted(
            u.id for u in s.exec(select(AppUser)).all() if "TEAM_LEAD" in (u.roles or [])
        )
        requests = s.exec(
            select(BudgetRequest)
            .where(
                col(BudgetRequest.state).in_(COUNTING_STATES),
                BudgetRequest.decision != "REJECTED",
                BudgetRequest.approved_total != None,  # noqa: E711
                BudgetRequest.deleted_at == None,  # noqa: E711
                BudgetRequest.budget_year <= self.today.year,
            )
            .order_by(col(BudgetRequest.budget_year), col(BudgetRequest.id))
        ).all()
        self.assign_profiles([r.provider_id for r in requests])
        reports: list[dict[str, Any]] = []
        settled: list[tuple[dict[str, Any], str, str, date]] = []
        for req in requests:
            self.one(req, capacity.get(req.provider_id) or 80, reports, settled)
        self.uow.insert_rows(RealisationReport, reports)
        rounds = self.write_rounds(leads) if leads else 0
        self.uow.insert_rows(FinalSettlement, [row for row, *_ in settled])
        if leads and settled:
            self.reviews(settled, leads)
        return {
            "realisation_report": len(reports),
            "reallocation_round": rounds,
            "final_settlement": len(settled),
        }

    def one(self, req: BudgetRequest, places: int, reports: list, settled: list) -> None:
        rng, year = self.rng, req.budget_year
        name, ratio, drift, late = self.profile(req.provider_id)
        ratio *= rng.uniform(0.98, 1.02)
        total = req.approved_total
        assert total is not None  # run() selects decided requests only
        staff, other = approved_parts(req)
        other_share = (other / total if total else Decimal(0)) + Decimal(str(drift)) / 100
        other_share = min(max(other_share, Decimal(0)), Decimal("0.6"))
        clients_base = int(places * 0.95)
        clients = max(1, int(clients_base * rng.uniform(0.96, 1.04)))
        fte_base = _q(clients_base * rng.uniform(0.95, 1.25))
        fte_plan = _q(staff / FTE_COST)
        year_costs = None
        oct_total = None
        for period in Period:
            due = period.due(year)
            if name == "SILENT" and period != Period.AUDIT and rng.random() < 0.5:
                continue
            got = self.received(due, late)
            if got > self.today:
                continue
            months = period.months
            # spending ramps up a little: a slower start, catching up later in the year
            cum = Decimal(str(ratio * (months / 12) ** 1.05))
            spent = _q(total * cum)
            other_part = _q(spent * other_share)
            row: dict[str, Any] = dict(
                id=self.uid(),
                provider_id=req.provider_id,
                year=year,
                period=period.value,
                received_date=got,
                staff_costs=spent - other_part,
                other_costs=other_part,
                fte_baseline=fte_base,
                clients=clients,
                clients_baseline=clients_base,
                fte_planned=fte_plan,
                author_id=req.author_id,
                fte_realised=_q(
                    fte_base * clients / clients_base
                    + fte_plan * Decimal(str(ratio)) * Decimal(months) / 12
                ),
            )
            if period == Period.AUDIT:
                row.update(
                    staff_costs=Decimal("0.00"),
                    other_costs=Decimal("0.00"),
                    note="Rapport van feitelijke bevindingen ontvangen.",
                )
            if period == Period.OCT:
                oct_total = spent
            if period == Period.YEAR:
                year_costs = (row["staff_costs"], row["other_costs"])
                row.update(
                    sv_wages=_q(fte_base * 52000 * Decimal(str(rng.uniform(0.98, 1.02)))),
                    sv_days=int(float(fte_base) * 260),
                    hired_invoices=_q(spent * Decimal("0.08")),
                    turnover_change=_q(total * Decimal(str(rng.uniform(-0.2, 0.6)))),
                )
            reports.append(row)
        new_staff, new_other = self.reallocate(req, total, staff, other, oct_total)
        done = cycle_dates(year).final_accounting_by
        if year_costs is None or done > self.today:
            return
        advance_cents = monthly_cents(cents(total), year, req.decided_on)
        if new_staff + new_other != total:
            advance_cents = with_reallocation(
                advance_cents, year, req.decided_on, cents(new_staff + new_other)
            )
            staff, other = new_staff, new_other
        advanced = euros(sum(advance_cents))
        st = settle(
            staff,
            other,
            year_costs[0],
            year_costs[1],
            advanced,
            max(req.requested_staff_amount, staff),
        )
        extra = (
            _q(st.extra_allowed * Decimal("0.5"))
            if name == "OVER" and rng.random() < 0.5
            else Decimal("0.00")
        )
        settled_on = done - timedelta(days=rng.randint(1, 30))
        settled.append(
            (
                dict(
                    id=self.uid(),
                    budget_request_id=req.id,
                    provider_id=req.provider_id,
                    year=year,
                    agreed_staff=staff,
                    agreed_other=other,
                    realised_staff=year_costs[0],
                    realised_other=year_costs[1],
                    reimbursable_staff=st.reimbursable_staff,
                    reimbursable_other=st.reimbursable_other,
                    advanced=advanced,
                    reclaim=st.reclaim,
                    extra_reimbursement=extra,
                    extra_note="Landelijk onder het plafond; extra personeel aantoonbaar ingezet (§4.2.13)."
                    if extra
                    else "",
                    settled_on=settled_on,
                    author_id=req.author_id,
                ),
                req.author_id,
                req.id,
                settled_on,
            )
        )

    def reallocate(
        self,
        req: BudgetRequest,
        total: Decimal,
        staff: Decimal,
        other: Decimal,
        oct_total: Decimal | None,
    ) -> tuple[Decimal, Decimal]:
        """The herschikking of a past year (1 November): underspenders down to their projection
        (rounded up to € 1.000), as the app's round would prefill them."""
        from desktop.services.budget_year.herschikking import cap
        from desktop.services.formatting import money

        new_staff, new_other, reason = staff, other, ""
        if req.budget_year < self.today.year and oct_total is not None:
            projected = _q(oct_total * 12 / 9)
            if projected < total * Decimal("0.9"):
                new_total = min(
                    (projected / 1000).to_integral_value(rounding=ROUND_CEILING) * 1000, total
                )
                new_staff, new_other = parts(_q(new_total), None, None, staff, total)
                new_staff, new_other = cap(
                    new_staff,
                    new_other,
                    max(req.requested_staff_amount, staff),
                    max(req.requested_other_amount, other),
                )
                reason = (
                    f"Naar beneden: prognose {money(projected)}; middelen niet besteed conform "
                    "de aanvraag (besproken met de zorgaanbieder)."
                )
            key = (req.care_office_id, req.budget_year)
            self.rounds.setdefault(key, []).append((req, total, new_staff, new_other, reason))
        return new_staff, new_other

    def write_rounds(self, leads: list[str]) -> int:
        """One approved herschikking round per care office and past year with a change."""
        from desktop.services import review

        made = 0
        for (office, year), rows in sorted(
            self.rounds.items(), key=lambda kv: (kv[0][1], kv[0][0])
        ):
            if not any(r[4] for r in rows):
                continue
            author = rows[0][0].author_id
            rid = self.uid()
            self.uow.insert_rows(
                ReallocationRound,
                [dict(id=rid, care_office_id=office, year=year, author_id=author)],
            )
            self.uow.insert_rows(
                ReallocationProposal,
                [
                    dict(
                        id=self.uid(),
                        round_id=rid,
                        budget_request_id=req.id,
                        provider_id=req.provider_id,
                        previous_total=total,
                        new_staff=ns,
                        new_other=no,
                        reason=reason,
                        signal="UNDERSPEND" if reason else "",
                    )
                    for req, total, ns, no, reason in rows
                ],
            )
            digest = review.content_hash_in(self.uow.session, "reallocation_round", rid)
            lead = self.rng.choice([x for x in leads if x != author] or leads)
            day = date(year, 11, 5)
            self.uow.insert_rows(
                ReviewEvent,
                [
                    dict(
                        id=self.uid(),
                        subject_type="reallocation_round",
                        subject_id=rid,
                        kind=kind,
                        actor_id=actor,
                        content_hash=digest,
                        comment="",
                        at=datetime(at.year, at.month, at.day, 10, tzinfo=UTC),
                    )
                    for kind, actor, at in (
                        ("SUBMITTED", author, day - timedelta(days=2)),
                        ("APPROVED", lead, day),
                    )
                ],
            )
            made += 1
        return made

    def reviews(self, settled: list, leads: list[str]) -> None:
        from desktop.services import review

        events = []
        for row, author, _rid, day in settled:
            digest = review.content_hash_in(self.uow.session, "final_settlement", row["id"])
            lead = self.rng.choice([x for x in leads if x != author] or leads)
            for kind, actor, at in (
                ("SUBMITTED", author, day - timedelta(days=3)),
                ("APPROVED", lead, day),
            ):
                events.append(
                    dict(
                        id=self.uid(),
                        subject_type="final_settlement",
                        subject_id=row["id"],
                        kind=kind,
                        actor_id=actor,
                        content_hash=digest,
                        comment="Akkoord." if kind == "APPROVED" else "",
                        at=datetime(at.year, at.month, at.day, 10, tzinfo=UTC),
                    )
                )
        self.uow.insert_rows(ReviewEvent, events)


def make_budget_year_money(uow: Any, *, seed: int, today: date) -> dict[str, int]:
    """Realisation reports and nacalculaties for the decided requests in `uow` (one call from
    the demo generator, after the requests and their reviews are written)."""
    return _Money(uow, seed, today).run()
