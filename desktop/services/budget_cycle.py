"""The kwaliteitsbudget cycle R1..R18 of a budget year t as dated milestones (DOMAIN.md §7),
read from resources/reference/budget_cycle.yaml (Inkoopkader 2020 §4.2.14). No database: the
calendar (per provider status) and the letters (the dates they name) both read it from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Milestone:
    code: str
    title: str
    actor: str
    source: str
    start: date | None
    end: date | None  # the deadline (None for per-request rules)
    track: str | None
    per_request: bool


@cache
def _rules() -> tuple[dict, ...]:
    text = (
        resources.files("resources.reference")
        .joinpath("budget_cycle.yaml")
        .read_text(encoding="utf-8")
    )
    return tuple(yaml.safe_load(text)["rules"])


def _d(spec: dict, year: int) -> date:
    return date(year + int(spec["y"]), int(spec["m"]), int(spec["d"]))


def cycle(year: int) -> list[Milestone]:
    """R1..R18 for budget year `year`, with dates. R12 yields one milestone per report date."""
    out = []
    for r in _rules():
        start = _d(r["start"], year) if r.get("start") else None
        if r.get("dates"):
            for i, spec in enumerate(r["dates"], start=1):
                out.append(
                    Milestone(
                        f"{r['code']}.{i}",
                        r["title_nl"],
                        r["actor"],
                        r["source"],
                        None,
                        _d(spec, year),
                        r.get("track"),
                        False,
                    )
                )
            continue
        end = _d(r["end"], year) if r.get("end") else None
        out.append(
            Milestone(
                r["code"],
                r["title_nl"],
                r["actor"],
                r["source"],
                start,
                end,
                r.get("track"),
                bool(r.get("per_request")),
            )
        )
    return out
