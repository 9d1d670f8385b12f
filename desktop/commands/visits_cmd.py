"""`visits report|list|drafts`, `actions list` and `forms lint|publish`."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli import EXIT_OK, EXIT_REFUSED, emit
from desktop.commands.common import command, group, opened


def register(sub: argparse._SubParsersAction) -> None:
    vsub = group(sub, "visits", help="locatiebezoeken: verslag (PDF), overzicht, concepten")
    r = command(vsub, "report", help="verslag van een bezoek als PDF", handler=_report, json=False)
    r.add_argument("--visit", required=True, help="id van het bezoek")
    r.add_argument("--out", required=True, type=Path, metavar="UIT.pdf", help="PDF-bestand")

    ls = command(vsub, "list", help="bezoeken van een locatie (nieuwste eerst)", handler=_list)
    ls.add_argument("--location", required=True, help="id van de locatie")

    command(vsub, "drafts", help="concepten (bijvoorbeeld na een storing)", handler=_drafts)

    asub = group(sub, "actions", help="vervolgacties uit locatiebezoeken")
    al = command(
        asub,
        "list",
        help="vervolgacties (te laat, binnenkort, open, afgehandeld)",
        handler=_actions,
    )
    al.add_argument("--location", help="alleen deze locatie (id)")
    al.add_argument(
        "--state",
        action="append",
        choices=["open", "due", "overdue", "done"],
        help="alleen deze status (mag vaker)",
    )

    fsub = group(sub, "forms", help="formulierdefinities controleren en publiceren")
    fl = command(
        fsub,
        "lint",
        help="controleer alle formulierversies (exit 1 bij fouten)",
        handler=_lint,
        db=False,
    )
    fl.add_argument(
        "--root",
        type=Path,
        action="append",
        help="extra map met <form_id>/<versie>.yaml (mag vaker)",
    )
    fp = fsub.add_parser(
        "publish", help="leg de hash van een formulierversie vast in manifest.json"
    )
    fp.add_argument("form_id")
    fp.add_argument("version")
    fp.add_argument("--root", type=Path, default=None, help="formulierenmap (standaard: forms/)")
    fp.set_defaults(handler=_publish)


def _visit_dict(v) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": v.id,
        "location_id": v.location_id,
        "location": v.location_name,
        "provider": v.provider_name,
        "form_id": v.form_id,
        "form_version": v.form_version,
        "status": v.status,
        "status_label": v.status_label,
        "visit_date": v.visit_date.isoformat() if v.visit_date else None,
        "author": v.author_name,
        "revision_of_id": v.revision_of_id,
        "revised_by_id": v.revised_by_id,
        "autosaved_at": v.autosaved_at.isoformat() if v.autosaved_at else None,
    }


def _visit_lines(visits) -> str:  # type: ignore[no-untyped-def]
    from desktop.services.formatting import short_date

    if not visits:
        return "Geen bezoeken."
    return "\n".join(
        f"{short_date(v.visit_date) if v.visit_date else '—':>10}  {v.status_label:<12} "
        f"{v.location_name} ({v.provider_name})  [{v.id}]"
        for v in visits
    )


def _report(args: argparse.Namespace) -> int:
    from desktop.services.visit_report import write_visit_report

    with opened(args) as db:
        out = write_visit_report(db, args.visit, args.out)
    print(f"Verslag geschreven: {out}")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from desktop.services.visits import list_visits

    with opened(args) as db:
        visits = list_visits(db, args.location)
    emit(args, [_visit_dict(v) for v in visits], lambda _: _visit_lines(visits))
    return EXIT_OK


def _drafts(args: argparse.Namespace) -> int:
    from desktop.services.visits import list_drafts

    with opened(args) as db:
        visits = list_drafts(db)
    emit(args, [_visit_dict(v) for v in visits], lambda _: _visit_lines(visits))
    return EXIT_OK


def _actions(args: argparse.Namespace) -> int:
    from desktop.services.actions import list_actions
    from desktop.services.formatting import short_date

    with opened(args) as db:
        acts = list_actions(db, location_id=args.location, states=args.state)
    data = [
        {
            "id": a.id,
            "location": a.location_name,
            "description": a.description,
            "owner": a.owner,
            "due_date": a.due_date.isoformat() if a.due_date else None,
            "state": a.state,
            "done_by": a.done_by_name or None,
        }
        for a in acts
    ]

    def human(_):  # type: ignore[no-untyped-def]
        if not acts:
            return "Geen acties."
        return "\n".join(
            f"{a.state_label:<12} {short_date(a.due_date) if a.due_date else '—':>10}  "
            f"{a.description} — {a.location_name} ({a.owner_label})"
            for a in acts
        )

    emit(args, data, human)
    return EXIT_OK


def _lint(args: argparse.Namespace) -> int:
    from forms import FormRegistry, lint
    from forms.registry import REGISTRY

    reg = FormRegistry(list(REGISTRY.roots) + list(args.root or []))
    issues = lint(reg)
    errors = [i for i in issues if i.severity == "error"]
    files = {f.key for f in reg.files()}
    emit(
        args,
        {"files": sorted(files), "issues": [i.__dict__ for i in issues], "errors": len(errors)},
        lambda _: "\n".join(
            [str(i) for i in issues]
            + [
                f"{len(files)} formulierversie(s) gecontroleerd: "
                + (f"{len(errors)} fout(en)." if errors else "geen fouten.")
            ]
        ),
    )
    return EXIT_REFUSED if errors else EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    from db.errors import RuleViolation
    from forms import lint_definition, load_definition, publish

    root = args.root or Path(__file__).resolve().parents[2] / "forms"
    path = root / args.form_id / f"{args.version}.yaml"
    if not path.exists():
        raise RuleViolation(f"{path} bestaat niet.")
    form = load_definition(path.read_text(encoding="utf-8"), str(path))
    problems = [i for i in lint_definition(form) if i.severity == "error"]
    if problems:
        raise RuleViolation("Eerst herstellen: " + "; ".join(i.message for i in problems))
    try:
        digest = publish(root, args.form_id, args.version)
    except ValueError as exc:
        raise RuleViolation(str(exc)) from exc
    print(f"Gepubliceerd: {args.form_id}/{args.version}.yaml ({digest[:12]})")
    return EXIT_OK
