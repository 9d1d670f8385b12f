"""Issue 18: the Kwaliteitsplannen list at zorgkantoor scale <= 100 ms, in a fixed number of
queries (it was N+1, with every user read per plan: 17,061 queries, 4.5 s).

    QT_QPA_PLATFORM=offscreen pytest tests/bench/test_bench_plans.py --benchmark-only -s
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

pytestmark = pytest.mark.bench


def test_list_plans_on_the_zorgkantoor_database(zorgkantoor_db_path: Path, benchmark) -> None:  # type: ignore[no-untyped-def]
    from db.engine import Database
    from desktop.services.plans import list_plan_rows, list_plans

    db = Database(zorgkantoor_db_path)
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    plans = list_plans(db)
    event.remove(db.engine, "before_cursor_execute", listener)
    queries = len([q for q in statements if q.lstrip().upper().startswith("SELECT")])
    print(
        f"\n{len(plans):,} plans, {sum(len(p.assessments) for p in plans):,} assessments, "
        f"{sum(len(p.items) for p in plans):,} improvement items in {queries} queries"
    )
    assert len(plans) > 1000 and queries <= 5  # list_plans (in full): a fixed number of queries
    assert any(p.assessments and p.assessments[0].author_name != "?" for p in plans)
    # list_plan_rows reads through the DB-API cursor (no SQLAlchemy events): count what SQLite
    # itself is asked, on a fresh connection of a fresh engine
    traced = Database(zorgkantoor_db_path)
    statements.clear()
    event.listen(
        traced.engine,
        "connect",
        lambda dbapi_conn, _rec: dbapi_conn.set_trace_callback(statements.append),
    )
    rows = list_plan_rows(traced)
    traced.dispose()
    selects = [q for q in statements if q.lstrip().upper().startswith("SELECT")]
    assert len(rows) == len(plans) and len(selects) == 1, (
        statements
    )  # what the user sees: one query
    benchmark.pedantic(lambda: list_plan_rows(db), rounds=15, iterations=1, warmup_rounds=1)
    db.dispose()
    assert benchmark.stats.stats.median <= 0.100
