"""Demo data, stage 3 (per budget year): kwaliteitsplannen, plan assessments, budget requests
with their decisions, and the budget ceilings (DOMAIN.md §7 and §11; S3 2021 for the shares).
The afwijkingsverzoek of a deviating request is deviations.py; the vier-ogen events reviews.py.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import desktop.services.demo.decisions as demo_decisions
import desktop.services.demo.visits as demo_visits
from db.models import (
    BudgetCeiling,
    BudgetRequest,
    LocationImprovementItem,
    PlanAssessment,
    QualityPlan,
)
from desktop.services.demo.base import DemoProvider
from desktop.services.demo.deviations import Deviations, criterion_codes

CENT = Decimal("0.01")


class BudgetYears(Deviations):
    """Plans and budget requests of one budget year (a stage of the demo generator)."""

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
        if year <= self.today.year + 1:
            # The ceiling leaves some room above the reserves and always holds what was
            # approved: Σ approved ≤ regional budget (S1 §4.2.10).
            for region_id, total in reserved_sum.items():
                need = max(
                    total * Decimal("1.03"),
                    self.approved_sum.get(region_id, Decimal(0)) * Decimal("1.01"),
                )
                self.put(
                    BudgetCeiling,
                    dict(
                        id=self.uid(),
                        care_office_id=self.office_id,
                        region_id=region_id,
                        year=year,
                        amount=Decimal(math.ceil(need / 1000) * 1000).quantize(CENT),
                    ),
                )

    def make_plan(self, prov: DemoProvider, year: int, received: date) -> str:
        pid = self.uid()
        self.put(
            QualityPlan,
            dict(
                id=pid,
                provider_id=prov.id,
                year=year,
                received_date=received,
                title=f"Kwaliteitsplan {year} {prov.name}",
                consent_nursing_council=year >= 2020 and self.rng.random() < 0.9,
                author_id=prov.advisor,
            ),
        )
        for loc in prov.locations:
            for _ in range(self.rng.randint(1, 2)):
                item = self.pick(self.txt["improvement_items"])
                self.put(
                    LocationImprovementItem,
                    dict(
                        id=self.uid(),
                        quality_plan_id=pid,
                        location_id=loc.id,
                        theme_code=self.pick(["T1", "T2", "T3", "T4", "T6", "T6", "T7"]),
                        what=item["what"],
                        intended_result=item["result"],
                        needed=item["needed"],
                        monitoring=item["monitoring"],
                    ),
                )
        return pid

    def make_plan_assessment(
        self,
        prov: DemoProvider,
        plan_id: str,
        received: date,
        decided: demo_decisions.DemoDecision | None = None,
        decided_on: date | None = None,
    ) -> None:
        """The advisor's assessment of the plan on the checks form: completed some weeks after
        receipt (and before the decision, which it agrees with), a draft while that moment has
        not come yet."""
        done_on = received + timedelta(days=self.rng.randint(14, 35))
        if decided_on is not None:
            done_on = min(done_on, decided_on - timedelta(days=1))
        if (self.today - received).days < 7:
            return  # not started yet
        complete = done_on <= self.today

        def adjust(answers: dict, reasoning: dict) -> None:
            demo_decisions.cohere_plan(answers, decided, reasoning)

        self.put(
            PlanAssessment,
            dict(
                id=self.uid(),
                quality_plan_id=plan_id,
                form_id=demo_visits.PLAN_FORM_ID,
                form_version=demo_visits.PLAN_FORM_VERSION,
                answers=demo_visits.plan_answers(self, prov.quality, complete, self.today, adjust),
                status="COMPLETED" if complete else "DRAFT",
                author_id=prov.advisor,
            ),
        )

    def make_request(
        self, prov: DemoProvider, year: int, received: date, reserved: Decimal, plan_id: str
    ) -> None:
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
        plan: demo_decisions.DemoDecision | None = None
        clar_open = False
        events: list[tuple[str, str, date, str]] = []
        if decided_on <= self.today:
            withdrawn = rng.random() < 0.01
            if withdrawn:
                fields.update(state="WITHDRAWN")
            else:
                decision = (
                    "APPROVED"
                    if not deviating and rng.random() < 0.9
                    else rng.choices(
                        ("APPROVED", "APPROVED_ADJUSTED", "REJECTED"), weights=(50, 35, 15)
                    )[0]
                )
                # Issue 15: outcome, amounts, criteria, failing plan checks and explanations
                # agree (desktop.services.decisions); early applications up to the reserve.
                plan = demo_decisions.plan_decision(
                    rng,
                    self.txt,
                    decision=decision,
                    deviating=deviating,
                    early=received < date(year - 1, 11, 1),
                    total=total,
                    staff=staff,
                    other=other,
                    reserved=reserved,
                    criteria=criterion_codes(),
                    plan_keys=demo_visits.plan_check_keys(),
                )
                decision = plan.decision
                fields.update(
                    decision=decision,
                    decided_on=decided_on,
                    decision_rationale=plan.rationale,
                    accepted_points=plan.accepted,
                    custom_agreements=self.pick(self.txt["custom_agreements"]),
                    improvement_points=[
                        self.pick(self.txt["notes"]["IMPROVEMENT_POINT"]).format(topic=t)
                        for t in rng.sample(self.txt["note_topics"], 3)
                    ],
                )
                if plan.approved is not None:
                    a_total, a_staff, a_other = plan.approved
                    fields.update(
                        approved_total=a_total,
                        approved_staff_amount=a_staff,
                        approved_other_amount=a_other,
                    )
                state = "DECIDED"
                sent = decided_on + timedelta(days=rng.randint(2, 10))
                if sent <= self.today:
                    state, fields["letter_sent_on"] = "LETTER_SENT", sent
                    signed = sent + timedelta(days=rng.randint(14, 40))
                    if decision != "REJECTED" and signed <= self.today:
                        state, fields["addendum_signed_on"] = "ADDENDUM_SIGNED", signed
                if decision == "REJECTED" and rng.random() < 0.1:
                    state = "IN_MEDIATION"
                    fields["mediation"] = {
                        "started": (decided_on + timedelta(days=21)).isoformat(),
                        "mediator": "Onafhankelijk mediator (NMI)",
                        "outcome": "",
                    }
                fields["state"] = state
                lead = self.pick([x for x in self.leads if x != author])
                if rng.random() < 0.1:
                    events += [
                        ("SUBMITTED", author, decided_on - timedelta(days=6), ""),
                        (
                            "REJECTED",
                            lead,
                            decided_on - timedelta(days=4),
                            "Graag de onderbouwing per criterium aanvullen.",
                        ),
                    ]
                events += [
                    ("SUBMITTED", author, decided_on - timedelta(days=2), ""),
                    ("APPROVED", lead, decided_on, "Akkoord."),
                ]
        else:
            elapsed = (self.today - received).days / decide_days
            state = (
                "RECEIVED"
                if elapsed < 0.25
                else "IN_REVIEW"
                if elapsed < 0.7
                else "AWAITING_FOUR_EYES"
            )
            if state == "IN_REVIEW" and deviating and rng.random() < 0.4:
                state, clar_open = "CLARIFICATION_REQUESTED", True
            if state == "AWAITING_FOUR_EYES":
                events.append(
                    ("SUBMITTED", author, self.today - timedelta(days=rng.randint(0, 3)), "")
                )
            fields["state"] = state
        self.put(
            BudgetRequest,
            dict(
                id=rid,
                provider_id=prov.id,
                care_office_id=self.office_id,
                region_id=prov.region_id,
                quality_plan_id=plan_id,
                budget_year=year,
                external_reference=f"KB-{year}-{rng.randint(1, 9999):04d}",
                received_date=received,
                letter_date=received - timedelta(days=rng.randint(0, 3)),
                initial_reserved_amount=reserved,
                requested_total=total,
                requested_staff_amount=staff,
                requested_other_amount=other,
                justification=self.pick(
                    self.txt["justification"]["deviating" if deviating else "standard"]
                ),
                has_special_circumstances=special,
                author_id=author,
                **fields,
            ),
        )
        approved = fields.get("approved_total")
        if approved is not None and fields.get("state") != "WITHDRAWN":
            for key in (None, prov.region_id):
                self.approved_sum[key] = self.approved_sum.get(key, Decimal(0)) + approved
        if deviating:
            self.make_deviation(prov, rid, received, fields, clar_open, plan)
        self.make_plan_assessment(prov, plan_id, received, plan, fields.get("decided_on"))
        if events:
            self.reviews.append(
                (rid, [(*e, self.uid(), self.at(e[2], 10 + i)) for i, e in enumerate(events)])
            )
