"""`themes matrix` (regional heatmap export) and `search` (full-text search)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli import emit
from desktop.commands.common import command, existing_db_path, group


def register(sub: argparse._SubParsersAction) -> None:
    tsub = group(sub, "themes", help="thema-oordelen: regio-overzicht")
    m = command(
        tsub,
        "matrix",
        help="matrix locaties x thema's van een regio (JSON, Excel, CSV)",
        handler=_matrix,
    )
    m.add_argument("--region", required=True, help="naam of nummer van de zorgkantoorregio")
    m.add_argument("--xlsx", type=Path, metavar="UIT.xlsx", help="schrijf de matrix naar Excel")
    m.add_argument("--csv", type=Path, metavar="UIT.csv", help="schrijf de matrix naar CSV")
    m.add_argument(
        "--sort",
        choices=["urgency", "name", "provider", "oldest"],
        default="urgency",
        help="volgorde (standaard: urgentie)",
    )
    command(
        tsub,
        "rebuild",
        help="bouw de zoekindex en de actuele oordelen opnieuw op",
        handler=_rebuild,
    )

    s = command(
        sub,
        "search",
        help="zoek in notities, onderbouwingen, bezoekwaarnemingen en stukken",
        handler=_search,
    )
    s.add_argument("query", help='zoektekst, bv. clientenraad of "dubbele controle"')
    s.add_argument("--region", help="alleen deze regio")
    s.add_argument("--theme", help="alleen dit thema (T1..T8)")
    s.add_argument(
        "--kind", help="soort notitie (STRENGTH, VULNERABILITY, IMPROVEMENT_POINT, SIGNAL)"
    )
    s.add_argument("--limit", type=int, default=50)


def _matrix(args: argparse.Namespace) -> int:
    from desktop.services.exports import heatmap_to_csv, heatmap_to_dict, heatmap_to_xlsx
    from desktop.services.regional import find_region, heatmap

    path = existing_db_path(args, check_revision=True)
    region = find_region(path, args.region)
    hm = heatmap(
        path,
        region_id=region.id,
        sort=args.sort,
        title=f"Regio-overzicht kwaliteitsdiagnose {region.name}",
    )
    written = []
    if args.xlsx:
        written.append(str(heatmap_to_xlsx(hm, args.xlsx)))
    if args.csv:
        written.append(str(heatmap_to_csv(hm, args.csv)))
    if args.json:
        data = heatmap_to_dict(hm)
        data["region"] = {"id": region.id, "number": region.number, "name": region.name}
        data["written"] = written
        emit(args, data, "")
    else:
        lines = [f"{hm.title}: {len(hm.rows)} locaties."]
        lines += [f"Geschreven: {w}" for w in written]
        if not written:
            for r in hm.rows[:20]:
                lines.append(
                    f"  {r.location_name} ({r.place}), {r.provider_name}: "
                    f"{r.concerns} thema's matig/onvoldoende"
                )
        print("\n".join(lines))
    return 0


def _rebuild(args: argparse.Namespace) -> int:
    from desktop.services.regional import rebuild_current
    from desktop.services.search import rebuild_index

    path = existing_db_path(args, check_revision=True)
    data = {"search_index_rows": rebuild_index(path), "current_ratings": rebuild_current(path)}
    emit(
        args,
        data,
        lambda d: (
            f"Zoekindex opnieuw opgebouwd ({d['search_index_rows']} teksten), "
            f"{d['current_ratings']} actuele oordelen."
        ),
    )
    return 0


def _search(args: argparse.Namespace) -> int:
    from desktop.services.regional import find_region
    from desktop.services.search import search

    path = existing_db_path(args, check_revision=True)
    region_id = find_region(path, args.region).id if args.region else None
    res = search(
        path,
        args.query,
        region_id=region_id,
        theme_code=args.theme,
        kind=args.kind,
        limit=args.limit,
    )
    data = {
        "query": res.query,
        "more": res.more,
        "hits": [
            {
                "source": h.source,
                "id": h.ref_id,
                "location_id": h.location_id,
                "location": h.location_name,
                "provider": h.provider_name,
                "themes": list(h.theme_codes),
                "kind": h.kind,
                "date": h.dated.isoformat() if h.dated else None,
                "snippet": h.snippet_plain,
                **({"title": h.title, "page": h.page} if h.source == "document" else {}),
            }
            for h in res.hits
        ],
    }

    def human(d: dict) -> str:
        if not d["hits"]:
            return f"Geen resultaten voor '{d['query']}'."
        return "\n".join(
            f"{h['date'] or ''}  {h['location'] or h['provider']}"
            + (f" ({h['title']}, pagina {h['page']})" if "page" in h else "")
            + f": {h['snippet']}"
            for h in d["hits"]
        )

    emit(args, data, human)
    return 0
