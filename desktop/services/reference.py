"""Reference data shipped in resources/reference: themes, regions, care offices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from sqlmodel import select

from db.engine import Database
from db.models import CareOffice, Region, RegionAssignment, Theme
from db.repo import UnitOfWork


@cache
def _load(name: str) -> dict:
    import yaml  # only when reference data is loaded, not at every start

    text = resources.files("resources.reference").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class ThemeInfo:
    code: str
    key: str
    name_nl: str
    group: str
    subthemes: tuple[tuple[str, str], ...]  # (code, name_nl)


@cache
def themes(framework_version: str = "KK2017") -> tuple[ThemeInfo, ...]:
    """The eight themes in order, from the resource file (not from the UI)."""
    data = _load("themes.yaml")
    assert data["framework_version"] == framework_version
    return tuple(
        ThemeInfo(
            code=t["code"],
            key=t["key"],
            name_nl=t["name_nl"],
            group=t["group"],
            subthemes=tuple((s["code"], s["name_nl"]) for s in t.get("subthemes", [])),
        )
        for t in data["themes"]
    )


def theme_name(code: str) -> str:
    for t in themes():
        if t.code == code:
            return t.name_nl
        for sc, sn in t.subthemes:
            if sc == code:
                return sn
    return code


def load_reference_data(db: Database) -> dict[str, int]:
    """Insert themes, care offices, regions and assignments that are not there yet.

    Idempotent: running `init` twice adds nothing the second time.
    """
    added = {"themes": 0, "care_offices": 0, "regions": 0}
    theme_data = _load("themes.yaml")
    region_data = _load("regions.yaml")
    with UnitOfWork(db, actor_id=None) as uow:
        fv = theme_data["framework_version"]
        existing = {t.code for t in uow.exec(select(Theme).where(Theme.framework_version == fv))}
        # Each theme, then its subthemes (same group, sorted under it), in the file's order.
        rows: list[tuple[dict[str, Any], dict[str, Any] | None, int]] = []
        for order, t in enumerate(theme_data["themes"], start=1):
            rows.append((t, None, order * 100))
            subs = enumerate(t.get("subthemes", []), start=1)
            rows += [(s, t, order * 100 + i) for i, s in subs]
        for item, parent, sort_order in rows:
            if item["code"] in existing:
                continue
            uow.add(
                Theme(
                    framework_version=fv,
                    code=item["code"],
                    key=item["key"],
                    parent_code=parent["code"] if parent else None,
                    group=(parent or item)["group"],
                    name_nl=item["name_nl"],
                    name_en=item["name_en"],
                    sort_order=sort_order,
                )
            )
            added["themes"] += 1
        offices = {o.code: o for o in uow.exec(select(CareOffice))}
        for o in region_data["care_offices"]:
            if o["code"] not in offices:
                offices[o["code"]] = uow.add(
                    CareOffice(code=o["code"], name=o["name"], short_name=o["short_name"])
                )
                added["care_offices"] += 1
        regions = {r.number for r in uow.exec(select(Region))}
        for r in region_data["regions"]:
            if r["number"] in regions:
                continue
            region = uow.add(
                Region(number=r["number"], name=r["name"], aliases=r.get("aliases", []))
            )
            added["regions"] += 1
            assignments = r.get("assignments") or [
                {"office": r["office"], "valid_from": "2015-01-01"}
            ]
            for a in assignments:
                uow.add(
                    RegionAssignment(
                        region_id=region.id,
                        care_office_id=offices[a["office"]].id,
                        valid_from=_as_date(a["valid_from"]),
                        valid_to=_as_date(a["valid_to"]) if a.get("valid_to") else None,
                    )
                )
    return added


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
