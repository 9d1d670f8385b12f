"""Demo data: the scales, the records the stages pass on, and progress (shared by every part
of the demo package; imports nothing of the demo itself)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources

import yaml

from common.progress import Progress, Report, as_progress
from db.errors import UserFacingError

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


def resource(name: str) -> dict:
    """A YAML file of resources/demo (word lists, places)."""
    return yaml.safe_load(resources.files("resources.demo").joinpath(name).read_text("utf-8"))


@dataclass
class DemoLocation:
    id: str
    provider: DemoProvider
    region_id: str
    name: str
    capacity: int
    quality: float


@dataclass
class DemoProvider:
    id: str
    name: str
    region_id: str
    turnover: int
    quality: float
    purchaser: str
    advisor: str
    locations: list[DemoLocation] = field(default_factory=list)
