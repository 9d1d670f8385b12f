"""One read for the effect view of a provider: the effect, the agreements' context (locations,
requests, visits), interventions, signals and the colleagues who can own a step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.services.diagnosis import VisitChoice
from desktop.services.steering.effect import ProviderEffect, provider_effect
from desktop.services.steering.interventions import InterventionInfo, list_interventions
from desktop.services.steering.signals import Signal, signals
from desktop.services.themes import connect_ro


@dataclass(frozen=True)
class EffectBundle:
    effect: ProviderEffect
    interventions: tuple[InterventionInfo, ...]
    signals: tuple[Signal, ...]
    locations: tuple[tuple[str, str], ...]  # (id, name)
    requests: tuple[tuple[str, str], ...]  # (id, "Aanvraag 2026 (akkoord)")
    visits: tuple[VisitChoice, ...]  # completed visits at the provider's locations, newest first
    users: tuple[tuple[str, str], ...]  # (id, name)


def effect_bundle(db: Any, provider_id: str, today: date | None = None) -> EffectBundle:
    from db.models.enums import Decision

    today = today or date.today()
    e = provider_effect(db, provider_id, today)
    conn = connect_ro(db)
    try:
        locs = tuple(
            conn.execute(
                "SELECT id, name FROM location WHERE provider_id = ? AND deleted_at IS NULL "
                "ORDER BY name",
                (provider_id,),
            ).fetchall()
        )
        reqs = conn.execute(
            """SELECT id, budget_year, decision FROM budget_request WHERE provider_id = ?
                               AND deleted_at IS NULL ORDER BY budget_year DESC""",
            (provider_id,),
        ).fetchall()
        visits = conn.execute(
            """SELECT v.id, v.visit_date, v.status, l.name FROM site_visit v JOIN location l ON l.id = v.location_id
               WHERE l.provider_id = ? AND v.status = 'COMPLETED' AND v.deleted_at IS NULL
               ORDER BY v.visit_date DESC LIMIT 40""",
            (provider_id,),
        ).fetchall()
        users = tuple(
            conn.execute(
                "SELECT id, name FROM app_user WHERE deleted_at IS NULL ORDER BY name"
            ).fetchall()
        )
    finally:
        conn.close()
    labels = {d.value: d.label.lower() for d in Decision}
    return EffectBundle(
        effect=e,
        interventions=tuple(list_interventions(db, provider_id=provider_id)),
        signals=tuple(signals(db, provider_id=provider_id, today=today, effect=e)),
        locations=locs,
        requests=tuple(
            (rid, f"Aanvraag {year}" + (f" ({labels.get(dec, dec)})" if dec else ""))
            for rid, year, dec in reqs
        ),
        visits=tuple(
            _LocatedVisit(v[0], date.fromisoformat(v[1]) if v[1] else None, v[2], v[3])
            for v in visits
        ),
        users=users,
    )


@dataclass(frozen=True)
class _LocatedVisit(VisitChoice):
    location_name: str = ""

    @property
    def label(self) -> str:
        return f"{super().label}, {self.location_name}"
