"""Demo data: the vier-ogen events of the budget requests, bound to the content hash of the
request as written, so demo approvals count as valid approvals (review.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from db.models import ReviewEvent
from desktop.services.demo.writer import DemoWriter


class FourEyes(DemoWriter):
    def make_reviews(self) -> None:
        """Vier-ogen events name the content hash of the request as written (review.py), so
        demo approvals count as valid approvals; written last, after all content."""
        self.flush()
        hasher = _content_hasher(self.uow.session)
        for rid, events in self.reviews:
            digest = hasher(rid) or _placeholder_hash(rid)
            for kind, actor, _day, comment, eid, at in events:
                self.put(
                    ReviewEvent,
                    dict(
                        id=eid,
                        subject_type="budget_request",
                        subject_id=rid,
                        kind=kind,
                        actor_id=actor,
                        content_hash=digest,
                        comment=comment,
                        at=at,
                    ),
                )


def _placeholder_hash(subject_id: str) -> str:
    return hashlib.sha256(f"demo:{subject_id}".encode()).hexdigest()


def _content_hasher(session: Any) -> Callable[[str], str | None]:
    """The review service's content hash of a budget request, inside our transaction."""
    try:
        from desktop.services import review

        hash_in = review.content_hash_in  # same rule as a real submission
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
