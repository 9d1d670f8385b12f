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
from sqlmodel import col, select

from common.progress import Progress
from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError
from db.models import BudgetRequest, Letter, Provider
from db.models.enums import LetterStatus, RequestState
from db.repo import UnitOfWork
from desktop.services.decisions import APPROVALS
from desktop.services.letters.addendum import addendum_pdf
from desktop.services.letters.concept import letter_pdf
from desktop.services.letters.dates import today_nl
from desktop.services.letters.definitive import (
    Prepared,
    next_sequence,
    prepare_in,
    store_definitive,
)
from desktop.services.letters.model import HERSCHIKKING_TEMPLATE, LetterInfo
from desktop.services.letters.queries import PDF, list_letters, profile_in, region_id_of
from desktop.services.letters.render import Rendered

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
    if make_definitive_first:
        if not by:
            raise ValidationError("by", "Geef aan wie de brieven definitief maakt (--as).")
        made, cancelled = _make_definitive_many(
            db, region, by, letter_date or today_nl(), progress, skipped
        )
        if cancelled:
            return BatchResult((), made, tuple(skipped), True)
    letters = list_letters(db, region=region, status=LetterStatus.DEFINITIVE)
    folder = Path(out_dir) if out_dir is not None else None
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
                try:
                    extra = addendum_pdf(db, info.request_id)
                except (RuleViolation, ValidationError) as exc:
                    skipped.append(f"Addendum {info.provider_name}: {exc.message}")
                else:
                    apath = folder / addendum_file_name(info)
                    apath.write_bytes(extra)
                    addenda.append(str(apath))
    if progress is not None:
        progress.report(len(letters), len(letters), "Klaar")
    return BatchResult(tuple(written), made, tuple(skipped), False, tuple(addenda))


BATCH_CHUNK = 16  # letters per transaction of the definitive batch
# Below this many letters a render worker costs more than it wins. Break-even measured on
# the 2-core machine (issue 18 item 5; definitive region batch, wall clock, worker vs in this
# process): 40 letters 2.8-3.0 s vs 1.9-2.0 s, 100: 5.1-6.0 vs 4.9, 200: 8.7-9.5 vs 8.6-8.8,
# 300: 11.2-11.3 vs 12.2-12.5, 500: 18.6-19.4 vs 21.0-21.6.
RENDER_WORKERS_FROM = 250


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


class _RenderPool:
    """Renders batch letters in worker processes (spawned: never fork a process that runs Qt),
    so the database work of the next letters overlaps with the layout of these. When a worker
    cannot start or dies, the letters are rendered in this process instead (same bytes)."""

    def __init__(self, workers: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        self.broken = False

    @staticmethod
    def for_batch(size: int) -> _RenderPool | None:
        import os

        cores = (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1)
        )
        if (
            size < max(2 * BATCH_CHUNK, RENDER_WORKERS_FROM)
            or cores < 2
            or os.environ.get("KWALITEITSDIALOOG_RENDER_WORKERS") == "0"
        ):
            return None  # starting workers (about a second) does not pay off
        try:
            return _RenderPool(max(1, min(cores - 1, 3)))  # one core stays with the database work
        except (OSError, ValueError) as exc:
            log.warning("no render workers (%s): rendering the batch in this process", exc)
            return None

    def submit(self, jobs: list[tuple]) -> list[Any]:
        from desktop.services.letters.render import render_job

        if self.broken:
            return _render_here(jobs)
        return [_Pending(self, self._pool.submit(render_job, job), job) for job in jobs]

    def close(self, timeout: float = 10.0) -> None:
        """Stop the workers before the command returns (issue 18: they were left running):
        letters not started are cancelled, running ones finish; a worker that does not end
        within `timeout` seconds is terminated."""
        processes = list(getattr(self._pool, "_processes", {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            proc.join(timeout)
            if proc.is_alive():
                proc.terminate()
                proc.join(2)
        self._pool.shutdown(wait=True)


class _Done:
    """A finished 'future' for letters rendered in this process."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def result(self) -> Any:
        return self._value


def _render_here(jobs: list[tuple]) -> list[_Done]:
    from desktop.services.letters.render import render_job

    return [_Done(render_job(job)) for job in jobs]


class _Pending:
    """A letter rendering in a worker; rendered here if the worker is gone."""

    def __init__(self, pool: _RenderPool, future: Any, job: tuple) -> None:
        self.pool, self.future, self.job = pool, future, job

    def result(self) -> Any:
        from concurrent.futures.process import BrokenProcessPool

        from desktop.services.letters.render import render_job

        try:
            return self.future.result()
        except (BrokenProcessPool, OSError, EOFError) as exc:
            if not self.pool.broken:
                log.warning("render worker failed (%r): rendering the rest of the batch here", exc)
                self.pool.broken = True
            return render_job(self.job)


def _make_definitive_many(
    db: Database, region: str, by: str, day: date, progress: Progress | None, skipped: list[str]
) -> tuple[int, bool]:
    """Make every approved, not yet definitive letter of the region definitive: check and read a
    chunk of letters, hand out their kenmerken, render them (in worker processes when there
    are many, while the next chunk is read), then store the chunk in one transaction. A letter
    that cannot be made definitive is skipped with its reason; the kenmerken stay gap-free,
    because a letter only gets a number after all its checks passed."""
    with db.read_session() as s:
        profile_in(s, by)
    todo = _batch_candidates(db, region)
    pool = _RenderPool.for_batch(len(todo))
    next_seq: dict[tuple[str, int], int] = {}
    users: dict[str, Any] = {}  # the signatories, read once per batch
    made = 0
    inflight: tuple[list[tuple[Prepared, int, str]], list[Any]] | None = None

    def store(batch: tuple[list[tuple[Prepared, int, str]], list[Any]]) -> int:
        items, futures = batch
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
            store_definitive(uow, done, day)
        return len(items)

    try:
        for start in range(0, len(todo), BATCH_CHUNK):
            items: list[tuple[Prepared, int, str]] = []
            for i, (request_id, name, letter) in enumerate(
                todo[start : start + BATCH_CHUNK], start
            ):
                if progress is not None:
                    if progress.cancelled:  # keep what is already rendered, then stop
                        return made + (store(inflight) if inflight is not None else 0), True
                    progress.report(
                        i, len(todo), f"Brief {i + 1} van {len(todo)} definitief maken: {name}"
                    )
                try:
                    with db.read_session() as s:  # read a chunk before it is written
                        p = prepare_in(s, request_id, letter, by, day, users)
                except (RuleViolation, ValidationError, NotFound) as exc:
                    skipped.append(f"{name}: {exc.message}")
                    continue
                key = (p.care_office_id, p.year)
                if key not in next_seq:
                    with db.read_session() as s:
                        next_seq[key] = next_sequence(s, *key)
                seq = next_seq[key]
                next_seq[key] = seq + 1
                items.append((p, seq, f"{p.kenmerk_prefix}{seq:06d}"))
            jobs = [(p.src, p.template, kenmerk, day, False) for p, _seq, kenmerk in items]
            futures = pool.submit(jobs) if pool is not None else _render_here(jobs)
            if inflight is not None:
                made += store(inflight)
            inflight = (items, futures)
        if inflight is not None:
            made += store(inflight)
    finally:
        if pool is not None:
            pool.close()
    return made, False
