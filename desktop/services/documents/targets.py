"""What a document can be attached to: an extensible list of target kinds.

Another area adds a kind with `register_target(TargetKind(...))`; the realisation report of
the budget year (issue 16) is one of the built-in kinds. Each kind names its table, how to find the provider of a record (for
filtering and search by region) and a short Dutch description of the record.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.errors import ValidationError


@dataclass(frozen=True)
class TargetKind:
    kind: str  # the table name (entity), used in `--to KIND:ID`
    label: str  # Dutch, singular
    provider_sql: str  # one row (provider_id) for :id, only for a record that is not deleted
    name_sql: str  # one row (Dutch description) for :id
    aliases: tuple[str, ...] = ()


TARGET_KINDS: dict[str, TargetKind] = {}


def register_target(spec: TargetKind) -> None:
    TARGET_KINDS[spec.kind] = spec


def resolve_kind(text: str) -> TargetKind:
    key = (text or "").strip().lower()
    for spec in TARGET_KINDS.values():
        if key == spec.kind or key in spec.aliases:
            return spec
    kinds = ", ".join(sorted(TARGET_KINDS))
    raise ValidationError("target", f"Onbekend soort '{text}'. Kies uit: {kinds}.")


def parse_target(text: str) -> tuple[TargetKind, str]:
    """`KIND:ID` (command line) -> (kind, id)."""
    kind, sep, rid = (text or "").partition(":")
    if not sep or not rid.strip():
        raise ValidationError("target", "Geef het doel als SOORT:ID, bijvoorbeeld location:3f2a…")
    return resolve_kind(kind), rid.strip()


for _spec in (
    TargetKind(
        "provider",
        "Zorgaanbieder",
        "SELECT id FROM provider WHERE id = :id AND deleted_at IS NULL",
        "SELECT name FROM provider WHERE id = :id",
        ("aanbieder", "zorgaanbieder"),
    ),
    TargetKind(
        "location",
        "Locatie",
        "SELECT provider_id FROM location WHERE id = :id AND deleted_at IS NULL",
        "SELECT name FROM location WHERE id = :id",
        ("locatie",),
    ),
    TargetKind(
        "quality_plan",
        "Kwaliteitsplan",
        "SELECT provider_id FROM quality_plan WHERE id = :id AND deleted_at IS NULL",
        "SELECT 'Kwaliteitsplan ' || q.year || ' ' || p.name FROM quality_plan q "
        "JOIN provider p ON p.id = q.provider_id WHERE q.id = :id",
        ("plan", "kwaliteitsplan"),
    ),
    TargetKind(
        "budget_request",
        "Budgetaanvraag",
        "SELECT provider_id FROM budget_request WHERE id = :id AND deleted_at IS NULL",
        "SELECT 'Aanvraag ' || r.budget_year || ' ' || p.name FROM budget_request r "
        "JOIN provider p ON p.id = r.provider_id WHERE r.id = :id",
        ("request", "aanvraag"),
    ),
    TargetKind(
        "site_visit",
        "Locatiebezoek",
        "SELECT l.provider_id FROM site_visit v JOIN location l ON l.id = v.location_id "
        "WHERE v.id = :id AND v.deleted_at IS NULL",
        "SELECT 'Bezoek ' || l.name || COALESCE(' ' || v.visit_date, '') FROM site_visit v "
        "JOIN location l ON l.id = v.location_id WHERE v.id = :id",
        ("visit", "bezoek"),
    ),
    # Issue 16/20: the provider's realisation report (verslag over het begrotingsjaar) of one
    # budget year and period, attached where the budget year records the realisation.
    TargetKind(
        "realisation_report",
        "Realisatieopgave",
        "SELECT provider_id FROM realisation_report WHERE id = :id AND deleted_at IS NULL",
        "SELECT 'Realisatie ' || r.year || ' ' || CASE r.period WHEN 'MAY' THEN 't/m april' "
        "WHEN 'JUL' THEN 't/m juni' WHEN 'OCT' THEN 't/m september' WHEN 'YEAR' THEN "
        "'heel jaar' ELSE 'accountant' END || ' ' || p.name FROM realisation_report r "
        "JOIN provider p ON p.id = r.provider_id WHERE r.id = :id",
        ("realisatie", "realisatieopgave", "realisation"),
    ),
):
    register_target(_spec)
