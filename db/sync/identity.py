"""The store identity, checked before a round writes anything, and the team it names (the
roster of signing keys, the roles derived from the signed grants)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from db.engine import Database
from db.sync import trust
from db.sync.folder_hub import HubError
from db.sync.hub_protocol import Hub
from db.sync.oplog import get_meta
from db.sync.segment import verify_document

FORMAT = 1
APP_VERSION = "0.1.0"


def roster_of(identity: dict[str, Any], documents: list[dict[str, Any]]) -> dict[str, list[str]]:
    """user id -> the public keys signed for that user (a member may have several laptops)."""
    owner_key = identity["owner"]["public_key"]
    roster: dict[str, list[str]] = {}
    for m in identity.get("members", []):
        roster.setdefault(m["user_id"], []).append(m["public_key"])
    roster.setdefault(identity["owner"]["user_id"], [])
    if owner_key not in roster[identity["owner"]["user_id"]]:
        roster[identity["owner"]["user_id"]].append(owner_key)
    for doc in documents:
        if (
            doc.get("hub_id") == identity["hub_id"]
            and isinstance(doc.get("user_id"), str)
            and isinstance(doc.get("public_key"), str)
            and verify_document(doc, owner_key)
        ):
            keys = roster.setdefault(doc["user_id"], [])
            if doc["public_key"] not in keys:
                keys.append(doc["public_key"])
    return roster


def check_identity(session: Session, hub: Hub) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The pinned store identity, verified; raises HubError (nothing changed) otherwise."""
    identity = hub.read_identity()
    pinned = get_meta(session, "hub_id")
    if pinned is None:
        raise HubError(
            "Deze database is nog niet aan een gedeelde opslag gekoppeld. Kies "
            "'Gedeelde opslag' om een opslag te maken of aan te sluiten."
        )
    if identity.get("hub_id") != pinned:
        raise HubError(
            f"De map {hub.root} bevat een andere gedeelde opslag dan waarmee deze database "
            "synchroniseert (is de map verplaatst of opnieuw gekoppeld?). Er is niets gewijzigd."
        )
    owner_key = get_meta(session, "hub_owner_key")
    if (
        not owner_key
        or identity.get("owner", {}).get("public_key") != owner_key
        or not verify_document(identity, owner_key)
    ):
        raise HubError(
            f"Het identiteitsbestand van de gedeelde opslag in {hub.root} is "
            "gewijzigd of vervalst. Er is niets gewijzigd; neem contact op met uw "
            "teamleider."
        )
    if identity.get("format") != FORMAT or _version(
        identity.get("min_app_version", "0")
    ) > _version(APP_VERSION):
        raise HubError(
            "De gedeelde opslag vraagt een nieuwere versie van Kwaliteitsdialoog. "
            "Werk het programma bij; er is niets gewijzigd."
        )
    documents = hub.roster_documents()
    roster = roster_of(identity, documents)
    _store_team(session, identity, roster, documents)
    return identity, roster


def _store_team(
    session: Session,
    identity: dict[str, Any],
    roster: dict[str, list[str]],
    documents: list[dict[str, Any]],
) -> None:
    """Derive the team's roles from the signed grants; keep them for this sync round."""
    team = trust.derive_roles(identity, roster, documents)
    session.info["kd_team"] = team


def save_team(db: Database, team: trust.TeamRoles | None) -> None:
    if team is None:
        return
    with db.read_session() as s:
        if get_meta(s, trust.ROLES_META) == team.as_json():
            return
    with db.write_session() as s, s.begin():
        trust.store_roles(s, team)


def _version(text_: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in str(text_).split("."))
    except ValueError:
        return (999,)
