"""Push: check the own outbox with the team's rules (db.sync.guard), then publish it in
contiguous runs (db.sync.published); a segment is marked pushed only after it was published."""

from __future__ import annotations

from sqlalchemy import text

from db.sync import faults, guard, published, trust
from db.sync.folder_hub import HubRefused
from db.sync.incoming import version_vector
from db.sync.oplog import OUTBOX, get_meta, origin_id
from db.sync.published import mark_pushed, next_run, publish
from db.sync.report import Progress, Round


def push(rnd: Round, progress: Progress | None, judge: guard.Judge | None = None) -> None:
    """Check the own outbox with the team's rules (guard.self_check), then publish it in
    contiguous runs. A run the team server refuses for good has its review steps held back
    and the rest is published in the same round."""
    db, keys, report = rnd.db, rnd.keys, rnd.report
    server_refused: dict[str, str] = {}
    for _round in range(3):
        with db.write_session() as s, s.begin():
            if get_meta(s, "origin_id") is None:
                return
            held, released = guard.self_check(s, keys.user_id, judge, server_refused)
        report.held.extend(guard.held_message(h) for h in held)
        if released:
            report.problems.append(f"{released} eerder tegengehouden stap(pen) gaan nu mee.")
        refused = push_runs(rnd, progress)
        if not refused:
            break
        server_refused = refused
    report.problems.extend(report.held)


def push_runs(rnd: Round, progress: Progress | None) -> dict[str, str]:
    """Publish the outbox; returns {op id: reason} of review steps in a run the server
    refused (to be held back), or {} when done."""
    db, hub, keys, hub_id, roster, report = rnd.parts()
    with db.read_session() as s:
        own = origin_id(s)
        waiting = int(
            s.execute(
                text(f"SELECT COUNT(*) FROM {OUTBOX} WHERE origin_id = :o AND pushed = 0"),
                {"o": own},
            ).scalar_one()
        )
        if not waiting:
            return {}  # the usual sync: nothing of ours to send
        deps = {
            o: q
            for o, q in version_vector(s).items()
            if o != own and q > 0 and o != get_meta(s, trust.HELD_ORIGIN_META)
        }
        base = trust.baselines(s).get(own, 0)
    # Contiguous runs of at most SEGMENT_MAX_OPS, never across the baseline end, read and
    # published one at a time.
    total = -(-waiting // published.SEGMENT_MAX_OPS)
    after, i = 0, 0
    while True:
        with db.read_session() as s:
            run = next_run(s, own, after, base)
        if not run:
            break
        after = run[-1].seq
        if progress:
            progress(i, max(total, i + 1), "Wijzigingen versturen")
        i += 1
        try:
            ref, digest = publish(
                db, hub, keys, hub_id, own, run, deps, roster, baseline=run[-1].seq <= base
            )
        except FileExistsError:
            report.problems.append(
                f"Segment {run[0].seq}-{run[-1].seq} bestaat al met andere inhoud; een "
                "vertakking wordt bij de volgende synchronisatie opgelost."
            )
            return {}
        except HubRefused as exc:
            reviews = {op.id: exc.message for op in run if op.entity == "review_event"}
            if reviews:
                return reviews
            report.problems.append(f"{exc.message} Deze wijzigingen blijven bewaard.")
            return {}
        except OSError as exc:
            report.problems.append(
                f"Versturen lukte nu niet ({exc.strerror or exc}); uw "
                "wijzigingen blijven bewaard en gaan de volgende keer mee."
            )
            return {}
        with db.write_session() as s, s.begin():
            mark_pushed(s, own, ref, digest)
        faults.point("push_after_mark")
        report.pushed_ops += len(run)
        report.pushed_segments += 1
    return {}
