"""Demo data: the afwijkingsverzoek of a deviating budget request, with its criteria
judgements (C1..C10) and clarifications (DOMAIN.md §7)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from db.models import Clarification, CriterionJudgement, DeviationRequest
from desktop.services.demo.base import DemoProvider
from desktop.services.demo.decisions import DemoDecision
from desktop.services.demo.writer import DemoWriter


@cache
def criterion_codes() -> tuple[str, ...]:
    """C1..C10 in order, from resources/reference/criteria.yaml (via the requests service)."""
    from desktop.services.requests import criteria

    return tuple(c.code for c in criteria())


class Deviations(DemoWriter):
    def make_deviation(
        self,
        prov: DemoProvider,
        rid: str,
        received: date,
        fields: dict,
        clar_open: bool,
        plan: DemoDecision | None = None,
    ) -> None:
        rng = self.rng
        self.put(
            DeviationRequest,
            dict(
                id=self.uid(),
                budget_request_id=rid,
                client_group_profile=self.pick(self.txt["client_groups"]),
                support_evidence={
                    "clients": True,
                    "staff": rng.random() < 0.9,
                    "board": True,
                    "supervisory_board": rng.random() < 0.8,
                },
                innovation_description=self.pick(self.txt["innovation"]),
                scaling_vision=self.pick(self.txt["scaling"]),
                shares_learning_in_region=rng.random() < 0.7,
                business_case_reference=f"Businesscase {prov.name} {received.year + 1}.pdf",
            ),
        )
        decision = fields.get("decision")
        state = fields.get("state")
        if plan is not None and plan.criteria:
            for crit, j in plan.criteria:
                self.judge(rid, crit, j, prov.purchaser)
        elif decision or state in ("IN_REVIEW", "CLARIFICATION_REQUESTED", "AWAITING_FOUR_EYES"):
            weights = {
                "APPROVED": (80, 18, 2),
                "APPROVED_ADJUSTED": (50, 40, 10),
                "REJECTED": (25, 35, 40),
            }.get(decision or "", (60, 30, 10))
            codes = criterion_codes()
            judged = (
                codes if decision or state == "AWAITING_FOUR_EYES" else codes[: rng.randint(2, 8)]
            )
            for crit in judged:
                j = rng.choices(("MEETS", "PARTLY", "DOES_NOT_MEET"), weights=weights)[0]
                self.judge(rid, crit, j, prov.purchaser)
        if clar_open or rng.random() < 0.3:
            for k in range(1 if clar_open else rng.randint(1, 2)):
                qa = self.pick(self.txt["clarifications"])
                asked = min(self.today, received + timedelta(days=7 + 10 * k + rng.randint(0, 5)))
                answered = asked + timedelta(days=rng.randint(5, 12))
                done = not clar_open and answered <= self.today
                self.put(
                    Clarification,
                    dict(
                        id=self.uid(),
                        budget_request_id=rid,
                        question=qa["q"],
                        asked_on=asked,
                        answer=qa["a"] if done else "",
                        answered_on=answered if done else None,
                    ),
                )

    def judge(self, rid: str, criterion: str, judgement: str, author: str) -> None:
        """One criterion judgement with a reasoning that fits it."""
        self.put(
            CriterionJudgement,
            dict(
                id=self.uid(),
                budget_request_id=rid,
                criterion=criterion,
                judgement=judgement,
                reasoning=self.pick(self.txt["criteria"][judgement]),
                author_id=author,
            ),
        )
