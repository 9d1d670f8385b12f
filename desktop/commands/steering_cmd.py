"""`steering` (urgency x money per region), `effect` (per provider), `interventions list`,
`agreements list` and `kwaliteitsmonitor` (PDF per provider)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli import emit
from desktop.commands.common import command, group


def register(sub: argparse._SubParsersAction) -> None:
    s = command(
        sub,
        "steering",
        help="sturen op uitkomsten: urgentie naast geld per cliënt in een regio",
        handler=_steering,
    )
    s.add_argument("--region", required=True, help="naam of nummer van de zorgkantoorregio")
    s.add_argument(
        "--year", type=int, help="budgetjaar (standaard: het laatste jaar met besluiten)"
    )

    e = command(
        sub,
        "effect",
        help="effect per thema: oordelen voor en na het geld, merkbaar/meetbaar/voelbaar, afspraken",
        handler=_effect,
    )
    e.add_argument("--provider", required=True, help="id of naam van de zorgaanbieder")

    isub = group(sub, "interventions", help="interventieregister")
    il = command(
        isub, "list", help="alle interventies (en signalen met --signals)", handler=_interventions
    )
    il.add_argument("--provider", help="alleen deze zorgaanbieder (id of naam)")
    il.add_argument("--open", action="store_true", help="alleen lopende interventies")
    il.add_argument(
        "--signals", action="store_true", help="toon ook signalen om een interventie te starten"
    )

    asub = group(sub, "agreements", help="maatwerkafspraken")
    al = command(asub, "list", help="maatwerkafspraken met hun status", handler=_agreements)
    al.add_argument("--provider", help="alleen deze zorgaanbieder (id of naam)")

    k = command(
        sub,
        "kwaliteitsmonitor",
        help="kwaliteitsmonitor (PDF) voor het gesprek met een zorgaanbieder",
        handler=_monitor,
        json=False,
    )
    k.add_argument("--provider", required=True, help="id of naam van de zorgaanbieder")
    k.add_argument("--out", required=True, type=Path, metavar="BESTAND.pdf")


def _db(args: argparse.Namespace) -> Path:
    from desktop.commands.common import existing_db_path

    return existing_db_path(args, check_revision=True)


def provider_id(db: Path, ref: str) -> str:
    """A provider by id, or by (a unique part of) its name."""
    from db.errors import NotFound
    from desktop.services.themes import connect_ro

    conn = connect_ro(db)
    try:
        if conn.execute("SELECT 1 FROM provider WHERE id = ?", (ref,)).fetchone():
            return ref
        rows = conn.execute("SELECT id, name FROM provider WHERE deleted_at IS NULL").fetchall()
    finally:
        conn.close()
    want = ref.casefold().strip()
    exact = [pid for pid, name in rows if name.casefold() == want]
    part = [pid for pid, name in rows if want and want in name.casefold()]
    if len(exact) == 1 or len(part) == 1:
        return (exact or part)[0]
    if len(part) > 1:
        raise NotFound(
            f"Meer dan één zorgaanbieder past bij '{ref}'; geef het id of de volledige naam."
        )
    raise NotFound(f"Zorgaanbieder '{ref}' bestaat niet.")


def _steering(args: argparse.Namespace) -> int:
    from desktop.services import formatting
    from desktop.services.steering.allocation import (
        QUADRANT_LABELS,
        QUADRANTS,
        allocation,
        allocation_to_dict,
    )

    path = _db(args)
    a = allocation(path, region_name=args.region, year=args.year)

    def human(_: object) -> str:
        lines = [
            f"Regio {a.region_name}, budgetjaar {a.year}: {len(a.rows)} locaties, "
            f"mediaan {formatting.money(a.threshold) or '–'} per cliënt."
        ]
        for q in QUADRANTS:
            lines.append(f"  {QUADRANT_LABELS[q]}: {a.count(q)}")
        for r in a.rows[:15]:
            mark = "»" if r.highlighted else " "
            lines.append(
                f"{mark} {r.location_name} ({r.provider_name}): urgentie {r.urgency}, "
                f"{formatting.money(r.per_client) or 'geen budget'} per cliënt – {r.quadrant_label}"
            )
        return "\n".join(lines)

    emit(args, allocation_to_dict(a), human)
    return 0


def _effect(args: argparse.Namespace) -> int:
    from desktop.services import formatting
    from desktop.services.steering.effect import effect_to_dict, provider_effect

    path = _db(args)
    e = provider_effect(path, provider_id(path, args.provider))

    def human(_: object) -> str:
        lines = [
            f"{e.provider_name}: toegekend {formatting.money(e.total_approved)} in "
            f"{len(e.investments)} budgetjaren."
        ]
        for t in e.themes:
            mark = "doel " + ", ".join(map(str, t.invest_years)) if t.targeted else "geen doel"
            lines.append(
                f"  {t.code} ({mark}): {t.verdict} Merkbaar {t.effects['MERKBAAR']}, "
                f"meetbaar {t.effects['MEETBAAR']}, voelbaar {t.effects['VOELBAAR']}; "
                f"afspraken behaald {t.agreements_met}, niet behaald {t.agreements_missed}."
            )
        lines += [f"  Let op: {n}" for n in e.notes]
        return "\n".join(lines)

    emit(args, effect_to_dict(e), human)
    return 0


def _interventions(args: argparse.Namespace) -> int:
    from desktop.services.formatting import short_date
    from desktop.services.steering.interventions import intervention_to_dict, list_interventions
    from desktop.services.steering.signals import signals

    path = _db(args)
    pid = provider_id(path, args.provider) if args.provider else None
    items = list_interventions(path, provider_id=pid, open_only=args.open)
    data: dict = {"interventions": [intervention_to_dict(i) for i in items]}
    sigs = signals(path, provider_id=pid) if args.signals else []
    if args.signals:
        data["signals"] = [
            {
                "kind": s.kind,
                "provider_id": s.provider_id,
                "provider": s.provider_name,
                "location": s.location_name,
                "themes": list(s.theme_codes),
                "agreement_id": s.agreement_id,
                "text": s.text,
                "suggested_step": s.suggested_step,
                "has_open_intervention": s.has_open_intervention,
            }
            for s in sigs
        ]

    def human(_: object) -> str:
        lines = [f"{len(items)} interventies."]
        for i in items:
            lines.append(
                f"  {i.provider_name}: stap {i.step_number} {i.step_label} sinds "
                f"{short_date(i.started_on)} ({i.status_label.lower()})"
            )
        if args.signals:
            lines.append(f"{len(sigs)} signalen.")
            lines += [f"  {s.provider_name}: {s.text}" for s in sigs[:20]]
        return "\n".join(lines)

    emit(args, data, human)
    return 0


def _agreements(args: argparse.Namespace) -> int:
    from desktop.services.formatting import short_date
    from desktop.services.steering.agreements import agreement_to_dict, list_agreements

    path = _db(args)
    pid = provider_id(path, args.provider) if args.provider else None
    items = list_agreements(path, provider_id=pid)
    emit(
        args,
        {"agreements": [agreement_to_dict(a) for a in items]},
        lambda _: "\n".join(
            [f"{len(items)} maatwerkafspraken."]
            + [
                f"  {a.provider_name} · {a.scope_text}: {a.result_text} (termijn {short_date(a.due_date)}, "
                f"{a.status_label.lower()})"
                for a in items
            ]
        ),
    )
    return 0


def _monitor(args: argparse.Namespace) -> int:
    from desktop.services.steering.monitor_report import save_monitor_pdf

    path = _db(args)
    out = save_monitor_pdf(path, provider_id(path, args.provider), args.out)
    print(f"Kwaliteitsmonitor geschreven: {out}")
    return 0
