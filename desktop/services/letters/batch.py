"""The region batch of beoordelingsbrieven (issue 6): all approved, unsent letters of a region,
saved to a folder or handed to the printer, optionally after making the approved decisions
definitive first.

Making many letters definitive reads and checks a chunk of letters, hands out their kenmerken,
renders them in a worker process (spawned: never fork a process that runs Qt) while the next
chunk is read, and stores each chunk in one transaction. Kenmerken stay gap-free: a letter only
gets a number after every check passed (service.prepare, render.check_fillable).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import and_
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from common.progress import Progress
from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError
from db.models import BudgetRequest, Letter, Provider
from db.models.enums import LetterStatus, RequestState
from db.repo import UnitOfWork
from desktop.services.decisions import APPROVALS
from desktop.services.letters.addendum import addendum_job, addendum_pdf, addendum_template_in
from desktop.services.letters.concept import letter_pdf
from desktop.services.letters.dates import today_nl
from desktop.services.letters.definitive import (
    Prepared,
    next_sequence,
    prepare_in,
    store_definitive,
)
from desktop.services.letters.model import HERSCHIKKING_TEMPLATE, SUBJECT, LetterInfo
from desktop.services.letters.queries import PDF, list_letters, profile_in, region_id_of
from desktop.services.letters.render import Rendered
from desktop.services.letters.workers import RenderPool, render_here

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchResult:
    written: tuple[str, ...]  # file paths
    made_definitive: int
    skipped: tuple[str, ...]  # Dutch reasons, one per skipped decision
    cancelled: bool
    addenda: tuple[str, ...] = ()  # issue 15: the addendum files written beside the letters


def file_name(info: LetterInfo) -> str:
    ref = (info.kenmerk or f"concept-{info.id[:8]}").replace("/", "-")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", info.provider_name).strip("-")[:60]
    return f"{ref}_{slug}.pdf"


def addendum_file_name(info: LetterInfo) -> str:
    """The addendum beside its letter: "ZK-KB-2027-000001_Naam_addendum.pdf"."""
    return file_name(info)[:-4] + "_addendum.pdf"


def batch_letters(
    db: Database,
    *,
    region: str,
    out_dir: Path | str | None,
    by: str | None = None,
    make_definitive_first: bool = False,
    letter_date: date | None = None,
    progress: Progress | None = None,
    sink: Callable[[LetterInfo, bytes], None] | None = None,
) -> BatchResult:
    """All approved, unsent letters of a region: optionally make pending ones definitive first
    (needs `by`), then write each definitive PDF to `out_dir` (or hand it to `sink`, e.g. the
    printer). `progress` (ctx.run) gets report(done, total, text); cancel stops between letters."""
    skipped: list[str] = []
    made = 0
    folder = Path(out_dir) if out_dir is not None else None
    # The addenda of the letters made definitive below, rendered with them (letter id -> PDF,
    # or the Dutch reason it was refused); the others are made one by one when written.
    ready: dict[str, bytes | str] = {}
    if make_definitive_first:
        if not by:
            raise ValidationError("by", "Geef aan wie de brieven definitief maakt (--as).")
        made, cancelled = _make_definitive_many(
            db,
            region,
            by,
            letter_date or today_nl(),
            progress,
            skipped,
            addenda=ready if folder is not None else None,
        )
        if cancelled:
            return BatchResult((), made, tuple(skipped), True)
    letters = list_letters(db, region=region, status=LetterStatus.DEFINITIVE)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    addenda: list[str] = []
    for i, info in enumerate(letters):
        if progress is not None:
            if progress.cancelled:
                return BatchResult(tuple(written), made, tuple(skipped), True)
            progress.report(
                i, len(letters), f"Brief {i + 1} van {len(letters)}: {info.provider_name}"
            )
        pdf = letter_pdf(db, info.id)
        if sink is not None:
            sink(info, pdf)
        if folder is not None:
            path = folder / file_name(info)
            path.write_bytes(pdf)
            written.append(str(path))
            if info.decision in APPROVALS:
                # Issue 15: the addendum (bijlage 6) goes with the letter of an approval.
                extra = ready.pop(info.id, None) or _addendum_or_reason(db, info.request_id)
                if isinstance(extra, str):
                    skipped.append(f"Addendum {info.provider_name}: {extra}")
                else:
                    apath = folder / addendum_file_name(info)
                    apath.write_bytes(extra)
                    addenda.append(str(apath))
    if progress is not None:
        progress.report(len(letters), len(letters), "Klaar")
    return BatchResult(tuple(written), made, tuple(skipped), False, tuple(addenda))


def _addendum_or_reason(db: Database, request_id: str) -> bytes | str:
    """The addendum of a letter made definitive before this batch, or why it cannot be made."""
    try:
        return addendum_pdf(db, request_id)
    except (RuleViolation, ValidationError) as exc:
        return exc.message


BATCH_CHUNK = 16  # letters per transaction of the definitive batch
# Below this many letters a render worker costs more than it wins. Break-even measured on
# the 2-core machine (issue 18 item 5; definitive region batch to a folder, letters and
# addenda rendered in the worker, wall clock, worker vs in this process, 3 runs each):
# 40 letters 2.4-2.9 s vs 1.7-1.9 s, 100: 3.3-4.3 vs 2.9-3.3, 150: 4.5-4.9 vs 4.4-5.5,
# 200: 6.8-8.0 vs 7.8-8.6, 300: 8.0-8.3 vs 9.7-12.2, 500: 12.1-13.2 vs 17.5-18.6.
RENDER_WORKERS_FROM = 150


def _batch_candidates(db: Database, region: str) -> list[tuple[str, str, Letter | None]]:
    """(request id, provider name, concept letter or None) for every decided request of the
    region without a letter, and every concept of the region: the approval is checked per
    letter later, once, so a concept that cannot be finished is reported with its reason."""
    with db.read_session() as s:
        region_id = region_id_of(s, region)
        q = (
            select(BudgetRequest.id, Provider.name, Letter)
            .options(defer(PDF))
            .join(Provider, col(Provider.id) == BudgetRequest.provider_id)
            .join(
                Letter,
                and_(
                    col(Letter.budget_request_id) == BudgetRequest.id,
                    col(Letter.deleted_at).is_(None),
                    col(Letter.template_id) != HERSCHIKKING_TEMPLATE,
                ),
                isouter=True,
            )
            .where(
                BudgetRequest.deleted_at == None,  # noqa: E711
                BudgetRequest.decision != None,  # noqa: E711
                ((Letter.id == None) & (BudgetRequest.state == RequestState.DECIDED))  # noqa: E711
                | (Letter.status == LetterStatus.DRAFT),
            )
        )
        if region_id:
            q = q.where(BudgetRequest.region_id == region_id)
        rows = s.exec(q.order_by(Provider.name)).all()
        for _rid, _name, letter in rows:
            if letter is not None:
                s.expunge(letter)
        return [(rid, name, letter) for rid, name, letter in rows]


def _approvals(s: Session, request_ids: list[str]) -> dict[str, Any]:
    """The vier-ogen approvals of a chunk of decisions, derived at once by the rule
    `prepare_in` applies to one (review.approvals_in: one query per kind of fact instead of a
    dozen per letter). {} when a request of the chunk is gone: then each is derived alone, so
    the gone one is skipped with its reason."""
    from desktop.services import review

    try:
        return review.approvals_in(s, SUBJECT, request_ids)
    except NotFound:
        return {}


def _make_definitive_many(
    db: Database,
    region: str,
    by: str,
    day: date,
    progress: Progress | None,
    skipped: list[str],
    *,
    addenda: dict[str, bytes | str] | None = None,
) -> tuple[int, bool]:
    """Make every approved, not yet definitive letter of the region definitive: check and read a
    chunk of letters, hand out their kenmerken, render them (in worker processes when there
    are many, while the next chunk is read), then store the chunk in one transaction. A letter
    that cannot be made definitive is skipped with its reason; the kenmerken stay gap-free,
    because a letter only gets a number after all its checks passed.

    With `addenda`, the addendum of each approval is rendered with its letter, from the source
    the letter was checked and rendered from (the same bytes `addendum_pdf` makes afterwards,
    without deriving the approval and reading the request a second time), and put there under
    the letter's id."""
    with db.read_session() as s:
        profile_in(s, by)
    todo = _batch_candidates(db, region)
    pool = RenderPool.for_batch(len(todo), max(2 * BATCH_CHUNK, RENDER_WORKERS_FROM))
    next_seq: dict[tuple[str, int], int] = {}
    users: dict[str, Any] = {}  # the signatories, read once per batch
    made = 0
    templates: dict[str, Any] = {}  # the addendum template per care office
    Batch = tuple[list[tuple[Prepared, int, str]], list[Any], list[Any]]
    inflight: Batch | None = None

    def store(batch: Batch) -> int:
        items, futures, extras = batch
        results = [f.result() for f in futures]
        with UnitOfWork(db, by) as uow:
            firsts: dict[tuple[str, int], int] = {}
            for p, seq, _k in items:
                firsts.setdefault((p.care_office_id, p.year), seq)
            for (office_id, year), first in firsts.items():
                if next_sequence(uow.session, office_id, year) != first:
                    raise RuleViolation(
                        "Tijdens het maken van de brieven zijn elders ook brieven "
                        "definitief gemaakt. Start de bundel opnieuw; wat al "
                        "definitief is, blijft bewaard."
                    )
            done = []
            for (p, seq, kenmerk), rendered in zip(items, results, strict=True):
                if not isinstance(rendered, Rendered):  # checked beforehand: should not happen
                    raise ValidationError(rendered[0], rendered[1])
                done.append((p, seq, kenmerk, rendered))
            rows = store_definitive(uow, done, day)
        if addenda is not None:
            extra = iter(extras)
            for (p, _seq, _k), row in zip(items, rows, strict=True):
                if p.src.decision in APPROVALS:
                    addenda[row.id] = next(extra).result()
        return len(items)

    def prepare_chunk(start: int) -> tuple[list[tuple[Prepared, int, str]], bool]:
        """Read and check a chunk of letters in one read session and number those that pass;
        (items, True) when the user cancelled (the chunk is then dropped, unnumbered)."""
        items: list[tuple[Prepared, int, str]] = []
        chunk = todo[start : start + BATCH_CHUNK]
        with db.read_session() as s:
            approvals = _approvals(s, [request_id for request_id, _n, _l in chunk])
            for i, (request_id, name, letter) in enumerate(chunk, start):
                if progress is not None:
                    if progress.cancelled:
                        return items, True
                    progress.report(
                        i, len(todo), f"Brief {i + 1} van {len(todo)} definitief maken: {name}"
                    )
                try:
                    approval = approvals.get(request_id)
                    p = prepare_in(s, request_id, letter, by, day, users, approval=approval)
                    if addenda is not None and p.care_office_id not in templates:
                        templates[p.care_office_id] = addendum_template_in(
                            s, p.care_office_id, p.src.letterhead.code
                        )
                except (RuleViolation, ValidationError, NotFound) as exc:
                    skipped.append(f"{name}: {exc.message}")
                    continue
                key = (p.care_office_id, p.year)
                if key not in next_seq:
                    next_seq[key] = next_sequence(s, *key)
                seq = next_seq[key]
                next_seq[key] = seq + 1
                items.append((p, seq, f"{p.kenmerk_prefix}{seq:06d}"))
        return items, False

    try:
        for start in range(0, len(todo), BATCH_CHUNK):
            items, cancelled = prepare_chunk(start)
            if cancelled:  # keep what is already rendered, then stop
                return made + (store(inflight) if inflight is not None else 0), True
            jobs = [(p.src, p.template, kenmerk, day, False) for p, _seq, kenmerk in items]
            futures = pool.submit(jobs) if pool is not None else render_here(jobs)
            extra_jobs = [
                (p.src, templates[p.care_office_id], kenmerk, day)
                for p, _seq, kenmerk in items
                if addenda is not None and p.src.decision in APPROVALS
            ]
            extras = (
                pool.submit(extra_jobs, addendum_job)
                if pool is not None
                else render_here(extra_jobs, addendum_job)
            )
            if inflight is not None:
                made += store(inflight)
            inflight = (items, futures, extras)
        if inflight is not None:
            made += store(inflight)
    finally:
        if pool is not None:
            pool.close()
    return made, False
