"""What one sync round reports (db.sync.engine.sync returns it; every step of the round adds
to it), the round's progress callback, and `Round`: what every step of a round works with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.engine import Database
    from db.sync.hub_protocol import Hub
    from db.sync.segment import Keys

Progress = Callable[[int, int, str], None]


@dataclass
class SyncReport:
    pushed_ops: int = 0
    pushed_segments: int = 0
    pulled_ops: int = 0
    pulled_segments: int = 0
    duplicate_ops: int = 0
    conflicts: int = 0
    quarantined: int = 0  # new this round
    quarantined_total: int = 0
    waiting: int = 0  # segments whose predecessors are not in the store (yet)
    skipped: int = 0  # segments that could not be read now (busy, vanished): next time
    fork: bool = False
    republished: int = 0
    refused_ops: int = 0  # operations of colleagues' segments refused (signer is not author...)
    held: list[str] = field(default_factory=list)  # own operations kept local (Dutch)
    waiting_detail: list[dict[str, Any]] = field(default_factory=list)  # per origin: why
    cleaned_tmp: int = 0
    skewed_origins: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # Dutch, for the report
    cancelled: bool = False
    seconds: float = 0.0
    from_snapshot: int = 0  # segments read from a snapshot bundle instead of one by one
    bundle: dict[str, bytes] = field(default_factory=dict, repr=False)
    from_image: str = ""  # the join image this round started from (db/sync/image.py)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pushed": self.pushed_ops,
            "pulled": self.pulled_ops,
            "conflicts": self.conflicts,
            "quarantined": self.quarantined,
            "quarantined_total": self.quarantined_total,
            "pushed_segments": self.pushed_segments,
            "pulled_segments": self.pulled_segments,
            "duplicates": self.duplicate_ops,
            "waiting": self.waiting,
            "skipped": self.skipped,
            "fork": self.fork,
            "republished": self.republished,
            "skewed_origins": self.skewed_origins,
            "problems": self.problems,
            "cancelled": self.cancelled,
            "from_snapshot": self.from_snapshot,
            "from_image": self.from_image,
            "refused_ops": self.refused_ops,
            "held": self.held,
            "waiting_detail": self.waiting_detail,
            "cleaned_tmp": self.cleaned_tmp,
            "seconds": round(self.seconds, 3),
        }


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Round:
    """One sync round's fixed parts: this replica, the hub, its keys, the store's identity and
    roster (checked first), and the report every step adds to."""

    db: Database
    hub: Hub
    keys: Keys
    hub_id: str
    roster: dict[str, list[str]]
    report: SyncReport

    def parts(
        self,
    ) -> tuple[Database, Hub, Keys, str, dict[str, list[str]], SyncReport]:
        return self.db, self.hub, self.keys, self.hub_id, self.roster, self.report
