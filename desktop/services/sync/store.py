"""The shared store ("gedeelde opslag"): opening a hub, creating and choosing a store, this
replica's keys."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import select

from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError
from db.models import AppUser
from db.repo import UnitOfWork
from db.sync import engine, pg_hub, trust
from db.sync.folder_hub import FolderHub, HubError
from db.sync.oplog import OUTBOX, get_meta, set_meta
from db.sync.pg_hub import is_server_url
from db.sync.segment import (
    Keys,
    canonical,
    key_id,
    new_signing_seed,
    new_team_key,
    public_key_b64,
    sign_document,
)
from desktop.services import keys as keystore
from desktop.services.sync.model import (
    StoreStatus,
    StoreUnavailable,
)

log = logging.getLogger("desktop.services.sync")


# -- store setup ------------------------------------------------------------------------------
def review_facts(db: Database, team_keys: dict[str, bytes]) -> pg_hub.ReviewFactSource:
    """The review facts a team server needs with each push, with the editors of each subject
    by the vier-ogen rule's one home (desktop.services.review.editors_of)."""
    from desktop.services.review import editors_of

    return pg_hub.ReviewFactSource(db, team_keys, editors_of=editors_of)


@contextmanager
def share_errors(os_failure: str | None = None) -> Iterator[None]:
    """Around work on the shared store: a HubError becomes StoreUnavailable with its Dutch
    message; with `os_failure` (what failed, in Dutch) so does an OSError, the system's reason
    in brackets after it."""
    try:
        yield
    except HubError as exc:
        raise StoreUnavailable(exc.message) from exc
    except OSError as exc:
        if os_failure is None:
            raise
        raise StoreUnavailable(f"{os_failure} ({exc.strerror}).") from exc


def open_hub(
    store: str | Path,
    *,
    db: Database | None = None,
    team_keys: dict[str, bytes] | None = None,
    password: str | None = None,
) -> FolderHub | pg_hub.PostgresHub:
    """The hub for a folder path or a `postgresql://` URL; with `db` and `team_keys` a team
    server also receives the review facts of what this replica pushes."""
    facts = review_facts(db, team_keys) if db is not None and team_keys else None
    return pg_hub.open_hub(store, facts=facts, password=password)


def _user(db: Database, user_id: str) -> AppUser:
    with db.read_session() as s:
        user = s.get(AppUser, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound(f"Gebruiker {user_id} bestaat niet in deze database.")
    return user


def find_user(db: Database, who: str) -> str:
    """A user id from an id, initials or exact name (for the command line)."""
    with db.read_session() as s:
        for u in s.exec(select(AppUser)).all():
            if u.deleted_at is None and who in (u.id, u.initials, u.name):
                return u.id
    raise NotFound(f"Geen gebruiker '{who}' gevonden (gebruik id, initialen of volledige naam).")


def team_users(db: Database) -> list[tuple[str, str]]:
    """(id, name) of every colleague, for choosing whom to invite."""
    with db.read_session() as s:
        return sorted(
            ((u.id, u.name) for u in s.exec(select(AppUser)).all() if u.deleted_at is None),
            key=lambda t: t[1],
        )


def _pinned(db: Database) -> dict[str, str | None]:
    with db.read_session() as s:
        return {k: get_meta(s, k) for k in ("hub_id", "hub_owner_key", "store_path", "sync_user")}


def _store_ref(store: Path | str) -> str:
    """A folder path (expanded) or a `postgresql://` team-server URL, kept as text."""
    if is_server_url(store):
        return str(store).strip()
    return str(Path(store).expanduser())


def _pin(db: Database, identity: dict[str, Any], store: str, user_id: str) -> None:
    with db.write_session() as s, s.begin():
        current = get_meta(s, "hub_id")
        if current and current != identity["hub_id"]:
            raise RuleViolation(
                "Deze database synchroniseert al met een andere gedeelde opslag. "
                "Er is niets gewijzigd."
            )
        set_meta(s, "hub_id", identity["hub_id"])
        set_meta(s, "hub_owner_key", identity["owner"]["public_key"])
        set_meta(s, "store_path", str(store))
        set_meta(s, "sync_user", user_id)


def create_store(db: Database, store: Path | str, user_id: str) -> StoreStatus:
    """Teamleider: make a new shared store in an empty folder, with a new team key."""
    store = Path(store).expanduser()
    user = _user(db, user_id)
    if "TEAM_LEAD" not in (user.roles or []):
        raise RuleViolation("Alleen een teamleider kan een gedeelde opslag aanmaken.")
    if store.exists() and any(store.iterdir()):
        raise ValidationError(
            "store",
            f"De map {store} is niet leeg. Kies een lege map voor een nieuwe gedeelde opslag.",
        )
    if _pinned(db)["hub_id"]:
        raise RuleViolation("Deze database synchroniseert al met een gedeelde opslag.")
    keystore.require_backend()
    team_key, seed = new_team_key(), new_signing_seed()
    pub = public_key_b64(seed)
    identity = sign_document(
        {
            "format": engine.FORMAT,
            "hub_id": str(uuid.uuid4()),
            "min_app_version": engine.APP_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "team_key_id": key_id(team_key),
            # No names on the share: a stolen store reveals nothing but random ids.
            "owner": {"user_id": user.id, "public_key": pub},
            "members": [{"user_id": user.id, "public_key": pub}],
        },
        seed,
    )
    keystore.store_team_key(identity["hub_id"], team_key)
    keystore.store_signing_seed(user.id, seed)
    hub = FolderHub(store)
    with share_errors(f"De map {store} kan niet worden aangemaakt"):
        hub.create(identity)
        grants = _initial_grants(db, hub, identity, seed)
    _pin(db, identity, str(store), user.id)
    with db.write_session() as s, s.begin():
        trust.store_roles(
            s, trust.derive_roles(identity, engine.roster_of(identity, grants), grants)
        )
        # History before the store: published as the owner's baseline (db/sync/trust.py).
        own = get_meta(s, "origin_id")
        last = int(get_meta(s, "next_seq") or 1) - 1
        if own and last > 0:
            trust.add_baseline(s, own, last)
    _set_public_key(db, user.id, pub)
    return status(db)


def _initial_grants(
    db: Database, hub: Any, identity: dict[str, Any], seed: bytes
) -> list[dict[str, Any]]:
    """Creating a store turns the local users' profile roles into grants signed by the
    owner (before a store exists the local profile decides)."""
    owner = identity["owner"]["user_id"]
    docs = []
    with db.read_session() as s:
        users = [
            (u.id, list(u.roles or []))
            for u in s.exec(select(AppUser)).all()
            if u.deleted_at is None
        ]
    for uid, roles in users:
        for role in roles:
            if role in trust.ROLES and not (uid == owner and role == trust.TEAM_LEAD):
                doc = trust.grant_document(identity["hub_id"], uid, role, "grant", 1, owner, seed)
                hub.put_file(trust.grant_name(doc), canonical(doc))
                docs.append(doc)
    return docs


def _set_public_key(db: Database, user_id: str, pub: str) -> None:
    with UnitOfWork(db, user_id) as uow:
        user = uow.get(AppUser, user_id)
        if user is not None and user.signing_public_key != pub:
            uow.update(user, signing_public_key=pub)


def choose_store(db: Database, store: Path | str) -> StoreStatus:
    """Point this database at the same store in another place (a new drive letter): allowed
    only when the folder holds the very store this database is pinned to."""
    store = _store_ref(store)
    pinned = _pinned(db)
    with share_errors():
        identity = open_hub(store).read_identity()
    if identity.get("hub_id") != pinned["hub_id"]:
        raise StoreUnavailable(
            f"De map {store} bevat een andere gedeelde opslag. Er is niets gewijzigd."
        )
    with db.write_session() as s, s.begin():
        set_meta(s, "store_path", store)
    return status(db)


def load_keys(db: Database) -> Keys:
    pinned = _pinned(db)
    hub_id, user_id = pinned["hub_id"], pinned["sync_user"]
    if not hub_id or not user_id:
        raise StoreUnavailable(
            "Deze database is nog niet aan een gedeelde opslag gekoppeld. "
            "Kies 'Gedeelde opslag' om een opslag te maken of aan te sluiten."
        )
    team = keystore.team_keys(hub_id)
    seed = keystore.signing_seed(user_id)
    if not team or seed is None:
        raise keystore.KeyMissing(
            "De sleutels voor de gedeelde opslag staan niet in de "
            "sleutelbos van deze computer. Sluit opnieuw aan met een "
            "uitnodiging van uw teamleider."
        )
    hub_key = None
    try:
        hub_key = open_hub(str(pinned["store_path"])).read_identity().get("team_key_id")
    except HubError:
        hub_key = None
    current = hub_key if hub_key in team else sorted(team)[0]
    return Keys(team_keys=team, current_key_id=current, user_id=user_id, signing_seed=seed)


def status(db: Database) -> StoreStatus:
    with db.read_session() as s:
        meta = {k: get_meta(s, k) or "" for k in ("hub_id", "store_path", "sync_user", "last_sync")}
        own = get_meta(s, "origin_id") or ""
        pending = s.execute(
            text(f"SELECT COUNT(*) FROM {OUTBOX} WHERE origin_id = :o AND pushed = 0"), {"o": own}
        ).scalar_one()
        conflicts = engine.count_conflicts(s)
        quarantined = s.execute(
            text("SELECT COUNT(*) FROM sync_segment WHERE status = 'quarantined'")
        ).scalar_one()
        held = s.execute(
            text("SELECT COUNT(*) FROM sync_segment WHERE status IN ('held', 'refused_server')")
        ).scalar_one()
    return StoreStatus(
        bool(meta["hub_id"]),
        meta["store_path"],
        meta["hub_id"],
        meta["sync_user"],
        meta["last_sync"],
        int(pending),
        int(conflicts),
        int(quarantined),
        int(held),
    )


def quarantine_report(db: Database) -> list[tuple[str, str, str]]:
    """(file name, reason, first seen) of every quarantined file; the files stay in place."""
    with db.read_session() as s:
        return [
            (r[0], r[1], r[2])
            for r in s.execute(
                text(
                    "SELECT name, reason, at FROM sync_segment WHERE status = 'quarantined' ORDER BY name"
                )
            )
        ]
