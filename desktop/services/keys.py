"""Sync keys in the operating system's keyring (Windows Credential Manager, macOS Keychain,
Secret Service): the team key of a shared store and the user's Ed25519 signing key.

There is no plaintext fallback: without a usable keyring backend, sync refuses with a clear
message. Each secret is small (< 200 characters), well under the Windows limit of 2560 bytes.
"""

from __future__ import annotations

import json
import logging

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from db.errors import UserFacingError
from db.sync.segment import b64, key_id, unb64

SERVICE = "Kwaliteitsdialoog"
log = logging.getLogger(__name__)


class KeyringUnavailable(UserFacingError):
    pass


class KeyMissing(UserFacingError):
    pass


_INSECURE = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt.file.PlaintextKeyring")


def _backend() -> KeyringBackend:
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    chained = getattr(backend, "backends", None)
    if any(name.startswith(p) for p in _INSECURE) or chained == []:
        raise KeyringUnavailable(
            "Er is geen beveiligde sleutelopslag (sleutelbos) beschikbaar op deze computer. "
            "Zonder sleutelbos kan Kwaliteitsdialoog niet veilig synchroniseren; sleutels worden "
            "nooit onversleuteld bewaard. Vraag uw ICT-afdeling om de sleutelbos in te schakelen."
        )
    return backend


def _keyring_refused(exc: Exception) -> KeyringUnavailable:
    """A Dutch message for a keyring that refuses (e.g. Secret Service's English "Failed to
    unlock the collection!"); the English original goes to the log only."""
    log.warning("keyring refused: %r", exc)
    if isinstance(exc, keyring.errors.KeyringLocked) or "unlock" in str(exc).lower():
        return KeyringUnavailable(
            "De sleutelbos (beveiligde sleutelopslag) is vergrendeld of het ontgrendelen is "
            "geannuleerd. Ontgrendel de sleutelbos, bijvoorbeeld door opnieuw in te loggen, en "
            "probeer het opnieuw. Er is niets gewijzigd."
        )
    return KeyringUnavailable(
        "De sleutelbos (beveiligde sleutelopslag) weigert toegang. Controleer of de sleutelbos "
        "werkt en ontgrendeld is, en probeer het opnieuw. Er is niets gewijzigd."
    )


def _set(name: str, value: str) -> None:
    backend = _backend()
    try:
        backend.set_password(SERVICE, name, value)
    except keyring.errors.KeyringError as exc:
        raise _keyring_refused(exc) from exc


def _get(name: str) -> str | None:
    backend = _backend()
    try:
        return backend.get_password(SERVICE, name)
    except keyring.errors.KeyringError as exc:
        raise _keyring_refused(exc) from exc


def store_team_key(hub_id: str, key: bytes) -> str:
    kid = key_id(key)
    existing = _get(f"team-key/{hub_id}")
    keys = json.loads(existing) if existing else {}
    keys[kid] = b64(key)
    _set(f"team-key/{hub_id}", json.dumps(keys, sort_keys=True))
    return kid


def team_keys(hub_id: str) -> dict[str, bytes]:
    raw = _get(f"team-key/{hub_id}")
    if not raw:
        return {}
    return {kid: unb64(v) for kid, v in json.loads(raw).items()}


def store_signing_seed(user_id: str, seed: bytes) -> None:
    _set(f"signing-key/{user_id}", b64(seed))


def signing_seed(user_id: str) -> bytes | None:
    raw = _get(f"signing-key/{user_id}")
    return unb64(raw) if raw else None


def require_backend() -> None:
    _backend()
