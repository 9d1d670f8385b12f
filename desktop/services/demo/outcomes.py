"""Demo data, part 4: steering on outcomes. Runs after generate_demo's own transaction (like
the letters) and reads what the demo made, so investments and outcomes relate plausibly:

* each provider with an approved decision last year gets decision targets: the themes its
  locations were weakest on the year before (the money goes where it is most needed);
* about half of them ("improvers") get a newer, better rating on those themes this year; the
  others keep whatever the ratings did on their own (some improve, many do not);
* per targeted theme a maatwerkafspraak (target: at least voldoende) with a deadline; past
  deadlines are checked against the ratings (met / partly / missed), from a visit when there
  is one, else by hand;
* a missed agreement leads, for most of those providers, to an intervention (extra gesprek,
  some escalated to a verbeterplan with a termijn) with a follow-up on *Mijn acties*.

Deterministic for a seed: its own random source, inputs read in a fixed order. A second demo
(another seed) in the same database leaves the first one's targeted requests alone.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from typing import Any

from db.engine import Database
from db.models import (
    AgreementCheck,
    CustomAgreement,
    DecisionTarget,
    FollowUpAction,
    Intervention,
    ThemeAssessment,
)
from db.repo import UnitOfWork
from desktop.services.themes import severity

_BETTER = {
    "INSUFFICIENT": "MODERATE",
    "MODERATE": "SUFFICIENT",
    "SUFFICIENT": "GOOD",
    "GOOD": "GOOD",
}
_CHANGE = {
    "T1": "Voor elke bewoner is een actueel zorgleefplan met eigen wensen besproken met de naaste.",
    "T2": "Elke dag zinvolle dagbesteding in elke huiskamer, ook in het weekend.",
    "T3": "Dubbele controle bij risicovolle medicatie op alle afdelingen, maandelijks geëvalueerd.",
    "T4": "Elk team bespreekt maandelijks de eigen verbeteracties (PDCA) met de kwaliteitsfunctionaris.",
    "T5": "De bestuurder bezoekt elk kwartaal elke locatie en spreekt de cliëntenraad.",
    "T6": "In de avondmaaltijd is in elke huiskamer een vaste medewerker aanwezig.",
    "T7": "Domotica en leefcirkels zijn op alle PG-afdelingen in gebruik en geëvalueerd.",
    "T8": "Cliëntervaringen (NPS) worden per locatie verzameld en in het teamoverleg besproken.",
}


def _rows(conn: Any, sql: str, *args: Any) -> list[tuple]:
    return list(conn.exec_driver_sql(sql, args).fetchall())


def _ladder_step(
    out: dict[str, list[dict[str, Any]]],
    on_ladder: dict[str, Any],
    act: str,
    action: str,
    due: date,
    done: bool,
    **step: Any,
) -> None:
    """One rung of the intervention ladder (`on_ladder`: provider, owner, themes, agreements,
    location; `step`: the rung's own fields) and the follow-up action that watches it."""
    out["action"].append(
        dict(
            id=act,
            location_id=on_ladder["location_ids"][0],
            description=f"Interventie: {action} – vervolg",
            owner="CARE_OFFICE",
            responsible_user_id=on_ladder["owner_id"],
            due_date=due,
            status="DONE" if done else "OPEN",
        )
    )
    out["intervention"].append(dict(on_ladder, follow_up_on=due, follow_up_action_id=act, **step))


def make_demo_outcomes(db: Database, *, seed: int, today: date) -> dict[str, int]:
    """Add decision targets, agreements (with checks) and interventions; returns counts."""
    rng = random.Random(seed * 7919 + 17)

    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    t0 = today.year - 1
    with db.engine.connect() as conn:
        requests = _rows(
            conn,
            """
            SELECT r.id, r.provider_id, r.budget_year, r.author_id FROM budget_request r
            JOIN provider p ON p.id = r.provider_id
            WHERE r.deleted_at IS NULL AND r.decision IN ('APPROVED', 'APPROVED_ADJUSTED')
              AND r.state != 'WITHDRAWN' AND r.budget_year IN (?, ?)
              AND r.id NOT IN (SELECT budget_request_id FROM decision_target)
            ORDER BY p.name, r.provider_id, r.budget_year, r.id""",
            t0,
            t0 + 1,
        )
        ratings = _rows(
            conn,
            """
            SELECT l.provider_id, a.location_id, a.theme_code, a.period_year, a.rating, a.id,
                   a.assessed_on, a.author_id
            FROM theme_assessment a JOIN location l ON l.id = a.location_id
            WHERE a.deleted_at IS NULL AND a.period_year BETWEEN ? AND ?
            ORDER BY a.location_id, a.theme_code, a.period_year, a.assessed_on, a.created_at, a.id""",
            t0 - 1,
            today.year,
        )
        visits = _rows(
            conn,
            """
            SELECT location_id, id, visit_date FROM site_visit WHERE status = 'COMPLETED'
              AND deleted_at IS NULL AND visit_date IS NOT NULL ORDER BY visit_date, id""",
        )
    last: dict[tuple[str, str, int], tuple] = {}  # (location, theme, year) -> last row
    locs_of: dict[str, list[str]] = {}
    for row in ratings:
        last[(row[1], row[2], row[3])] = row
        if row[1] not in locs_of.setdefault(row[0], []):
            locs_of[row[0]].append(row[1])
    by_provider: dict[str, dict[int, tuple]] = {}
    for rid, pid, year, author in requests:
        by_provider.setdefault(pid, {})[year] = (rid, author)

    out: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("target", "assessment", "agreement", "check", "intervention", "action")
    }
    for pid, years in by_provider.items():
        if t0 not in years:
            continue
        locs = locs_of.get(pid, [])
        weak: dict[str, list[str]] = {}
        for loc in locs:
            for code in _CHANGE:
                before = last.get((loc, code, t0 - 1))
                if before and (severity(before[4]) or 0) >= 2:
                    weak.setdefault(code, []).append(loc)
        themes = sorted(weak, key=lambda c: (-len(weak[c]), c))[:2]
        if not themes:
            continue
        rid, author = years[t0]
        for year in (t0, t0 + 1):
            if year in years:
                out["target"].append(
                    dict(
                        id=uid(),
                        budget_request_id=years[year][0],
                        theme_codes=sorted(themes),
                        location_ids=[],
                        author_id=author,
                    )
                )
        if rng.random() < 0.5:  # an improver: the money shows on the targeted themes
            for code in themes:
                for loc in weak[code]:
                    before = last[(loc, code, t0 - 1)]
                    now = last.get((loc, code, today.year))
                    better = _BETTER[before[4]]
                    if now and (severity(now[4]) or 0) <= (severity(better) or 0):
                        continue
                    on = today - timedelta(days=rng.randint(3, 40))
                    if now and date.fromisoformat(now[6]) >= on:
                        on = min(today, date.fromisoformat(now[6]) + timedelta(days=1))
                    row = (pid, loc, code, today.year, better, uid(), on.isoformat(), before[7])
                    out["assessment"].append(
                        dict(
                            id=row[5],
                            location_id=loc,
                            theme_code=code,
                            period_year=today.year,
                            rating=better,
                            rationale="Zichtbare verbetering na de afspraken over het "
                            "kwaliteitsbudget: het verbeterplan is uitgevoerd en op de afdelingen merkbaar.",
                            sources=["locatiebezoek"],
                            assessed_on=on,
                            author_id=before[7],
                            supersedes_id=now[5] if now else None,
                        )
                    )
                    last[(loc, code, today.year)] = row
        missed: list[tuple[str, str, date]] = []
        for i, code in enumerate(themes):
            due = (
                date(t0, 12, 31)
                if i == 0
                else date(today.year, 6, 30)
                if rng.random() < 0.6
                else date(today.year + 1, 3, 31)
            )
            where = sorted(weak[code])[:2]
            aid = uid()
            status = "OPEN"
            if due < today:
                after = [last.get((loc, code, y)) for loc in where for y in (today.year,)]
                after = [a for a in after if a] or [last.get((loc, code, t0)) for loc in where]
                ok = [(severity(a[4]) or 0) <= 1 for a in after if a]
                status = "MET" if ok and all(ok) else "PARTLY" if any(ok) else "MISSED"
                on = min(today, due + timedelta(days=rng.randint(5, 40)))
                seen = [
                    v
                    for v in visits
                    if v[0] in where
                    and due - timedelta(days=90) <= date.fromisoformat(v[2]) <= today
                ]
                visit = seen[-1] if seen else None
                out["check"].append(
                    dict(
                        id=uid(),
                        agreement_id=aid,
                        checked_on=date.fromisoformat(visit[2]) if visit else on,
                        outcome=status,
                        visit_id=visit[1] if visit else None,
                        author_id=author,
                        note={
                            "MET": "Afspraak nagekomen; bevestigd op de afdelingen.",
                            "PARTLY": "Op een deel van de locaties gerealiseerd.",
                            "MISSED": "Geen zichtbare verbetering; het oordeel blijft onder voldoende.",
                        }[status],
                    )
                )
                if status == "MISSED":
                    missed.append((aid, code, on))
            out["agreement"].append(
                dict(
                    id=aid,
                    provider_id=pid,
                    budget_request_id=rid,
                    theme_codes=[code],
                    location_ids=where,
                    target_rating="SUFFICIENT",
                    target_change=_CHANGE[code],
                    due_date=due,
                    check_method="BEZOEK" if i == 0 else rng.choice(("GESPREK", "INDICATOR")),
                    status=status,
                    author_id=author,
                )
            )
        if missed and rng.random() < 0.6:
            aid, code, on = missed[0]
            start = min(today, on + timedelta(days=rng.randint(7, 21)))
            escalate = rng.random() < 0.35
            first = uid()
            act = uid()
            loc = sorted(weak[code])[0]
            on_ladder = dict(
                provider_id=pid,
                owner_id=author,
                theme_codes=[code],
                agreement_ids=[aid],
                location_ids=[loc],
            )
            _ladder_step(
                out,
                on_ladder,
                act,
                "extra gesprek met de bestuurder",
                start + timedelta(days=rng.randint(20, 45))
                if escalate
                else today + timedelta(days=rng.randint(5, 40)),
                escalate,
                id=first,
                step="GESPREK",
                started_on=start,
                description=f"Gesprek met de bestuurder: de afspraak over {code} is niet behaald.",
                status="ESCALATED" if escalate else "OPEN",
                closed_on=start + timedelta(days=14) if escalate else None,
                outcome="Opgeschaald naar: verbeterplan met termijn" if escalate else "",
            )
            if escalate:
                act2 = uid()
                second = min(today, start + timedelta(days=14))
                follow = today + timedelta(days=rng.randint(7, 50))
                _ladder_step(
                    out,
                    on_ladder,
                    act2,
                    "verbeterplan met termijn",
                    follow,
                    False,
                    id=uid(),
                    step="VERBETERPLAN",
                    started_on=second,
                    description=f"Verbeterplan op {code} met termijn; voortgang bij elk bezoek bespreken.",
                    deadline=second + timedelta(days=90),
                    escalated_from_id=first,
                    status="OPEN",
                )
    with UnitOfWork(db, actor_id=None) as uow:
        uow.insert_rows(DecisionTarget, out["target"])
        uow.insert_rows(ThemeAssessment, out["assessment"])
        uow.insert_rows(CustomAgreement, out["agreement"])
        uow.insert_rows(AgreementCheck, out["check"])
        uow.insert_rows(FollowUpAction, out["action"])
        uow.insert_rows(Intervention, out["intervention"])
    return {k: len(v) for k, v in out.items()}
