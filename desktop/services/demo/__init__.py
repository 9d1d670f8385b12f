"""Deterministic demo data ("Voorbeeldgegevens laden", `kwaliteitsdialoog demo`).

Two scales (issue 2, DOMAIN.md §11): `small` (1 care office, 2 regions, ~20 providers, ~50
locations, 3 years) and `zorgkantoor` (the 11 Zilveren Kruis regions, ~400 providers with a
heavy tail, ~1,000 locations, 10 years, ~20 users). Every record type of the data model is
generated, with the score priors of DOMAIN.md §3 (T6 and T4 often an aandachtspunt, T1-T3
mostly fine) and the budget figures of §11 (reserve ~11% of turnover, 34% deviate, 83/17).

Same seed and same `today` -> the same database content, ids included: all randomness,
UUIDs too, comes from one seeded `random.Random`. Everything is written in one UnitOfWork,
so a cancelled or failed run leaves the database as it was.

The package, bottom up (no part imports this facade or the assembler):
- base: scales, the records passed between stages, progress;
- writer: the seeded random source and the buffered writer (DemoWriter);
- directory, quality, budget (+ deviations, decisions, visits), reviews: the stages;
- budget_year, letters, outcomes: what is derived after the stages;
- generator: the assembler, `generate_demo`.
"""

from desktop.services.demo.base import (
    ATTENTION_PRIOR,
    CARE_OFFICE_CODE,
    SCALES,
    SUBTHEMES,
    THEMES,
    ZK_REGIONS,
    DemoCancelled,
    DemoReport,
    ProgressLike,
    ScaleSpec,
    report_progress,
)
from desktop.services.demo.generator import _Generator, generate_demo

__all__ = [
    "ATTENTION_PRIOR",
    "CARE_OFFICE_CODE",
    "SCALES",
    "SUBTHEMES",
    "THEMES",
    "ZK_REGIONS",
    "DemoCancelled",
    "DemoReport",
    "ProgressLike",
    "ScaleSpec",
    "_Generator",
    "generate_demo",
    "report_progress",
]
