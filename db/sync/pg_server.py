"""PostgresHub: the team server's PostgreSQL database as a `Hub` (db/sync/hub_protocol.py),
storing the bytes of the folder store under the same names (db/sync/pg_hub.py has the overview).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

import psycopg

from db.sync.folder_hub import (  # the same segment names, so stores are interchangeable
    HubError,
    HubRefused,
    Listing,
    SegmentRef,
    identity_document,
    segment_name,
)
from db.sync.pg_admin import schema_version
from db.sync.pg_facts import FactSource, ReviewFact, write_facts
from db.sync.pg_images import PgImages
from db.sync.pg_schema import LATEST, REQUIRED
from db.sync.pg_settings import ServerAddress, ServerSettings, conninfo, unreachable

# The folder store's segment names: ops/<origin>/<first:012>-<last:012>[~attempt].seg
_NAME_RE = re.compile(r"^ops/([0-9a-f-]{36})/(\d{12})-(\d{12})(?:~(\d{1,2}))?\.seg$")
T = TypeVar("T")


def parse_name(name: str) -> tuple[str, int, int, int] | None:
    m = _NAME_RE.match(name)
    if not m:
        return None
    return m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4) or 1)


class PostgresHub(PgImages):
    """Hub interface of FolderHub (read_identity / hub_id / create / roster_documents /
    invite_documents / put_file / push / list_segments / heads / pull / read), snapshots and
    join images (db/sync/pg_images.py, schema v0004: optional)."""

    def __init__(
        self,
        url: str,
        *,
        password: str | None = None,
        facts: FactSource | None = None,
        connect_timeout: int = 10,
    ) -> None:
        self.url = url
        self.settings = ServerSettings.from_url(url)
        self.root = ServerAddress(self.settings.url)  # shown in messages, like FolderHub.root
        self.facts = facts
        self._password = password
        self._timeout = connect_timeout
        self._conn: psycopg.Connection | None = None
        self._version = 0
        # Test seams (like db.sync.faults): called inside the push transaction before COMMIT,
        # and after COMMIT before the acknowledgement is returned.
        self.before_commit: Callable[[psycopg.Connection], None] | None = None
        self.after_commit: Callable[[psycopg.Connection], None] | None = None

    # -- connection --------------------------------------------------------------------------
    def _connect(self) -> psycopg.Connection:
        if self._conn is not None and not self._conn.closed:
            return self._conn
        try:
            conn = psycopg.connect(
                conninfo(self.url, self._password, self._timeout), autocommit=False
            )
        except psycopg.OperationalError as exc:
            raise unreachable(self.root, exc) from exc
        version = schema_version(conn)
        conn.rollback()
        if version == 0:
            conn.close()
            raise HubError(
                f"Op de teamserver {self.root} staat geen gedeelde opslag van "
                "Kwaliteitsdialoog. Er is niets gewijzigd."
            )
        if version > LATEST:
            conn.close()
            raise HubError(
                "De teamserver vraagt een nieuwere versie van Kwaliteitsdialoog. Werk "
                "het programma bij; er is niets gewijzigd."
            )
        if version < REQUIRED:  # versions after REQUIRED add what a client can do without
            conn.close()
            raise HubError(
                "De teamserver heeft een ouder schema. Vraag de beheerder "
                "'kwaliteitsdialoog teamserver upgrade' uit te voeren."
            )
        self._conn, self._version = conn, version
        return conn

    def server_version(self) -> int:
        """The server's schema version (REQUIRED..LATEST)."""
        self._connect()
        return self._version

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> PostgresHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, fn: Callable[[psycopg.Connection], T], *, as_os_error: bool) -> T:
        """Run `fn` in one transaction; on a lost connection retry once on a fresh one
        (every caller is idempotent)."""
        last: Exception | None = None
        for _attempt in range(2):
            try:
                conn = self._connect()
            except HubError as exc:
                if as_os_error:
                    raise OSError(exc.message) from exc
                raise
            try:
                with conn.transaction():
                    return fn(conn)
            except psycopg.OperationalError as exc:
                last = exc
                self.close()
                continue
        assert last is not None
        if as_os_error:
            raise OSError(f"verbinding met de teamserver verbroken ({last})") from last
        raise unreachable(self.root, last) from last

    # -- identity ----------------------------------------------------------------------------
    def read_identity(self) -> dict[str, Any]:
        row = self._run(
            lambda c: c.execute("SELECT document FROM hub_identity").fetchone(), as_os_error=False
        )
        if row is None:
            raise HubError(
                f"Op de teamserver {self.root} staat geen gedeelde opslag van "
                "Kwaliteitsdialoog (de opslagidentiteit ontbreekt). Er is niets "
                "gewijzigd."
            )
        return identity_document(
            bytes(row[0]),
            f"De opslagidentiteit op de teamserver {self.root} is beschadigd. Er "
            "is niets gewijzigd.",
        )

    def hub_id(self) -> str:
        return str(self.read_identity()["hub_id"])

    def create(self, identity: dict[str, Any]) -> None:
        data = json.dumps(identity, indent=2, sort_keys=True).encode()

        def go(c: psycopg.Connection) -> bool:
            cur = c.execute(
                "INSERT INTO hub_identity (hub_id, document) VALUES (%s, %s) "
                "ON CONFLICT DO NOTHING",
                (identity["hub_id"], data),
            )
            return cur.rowcount == 1

        if not self._run(go, as_os_error=False):
            existing = self.read_identity()
            if existing.get("hub_id") != identity["hub_id"]:
                raise HubError(
                    f"Op de teamserver {self.root} staat al een andere gedeelde "
                    "opslag. Er is niets gewijzigd."
                )

    def _documents(self, prefix: str, suffix: str) -> list[tuple[str, bytes]]:
        rows = self._run(
            lambda c: c.execute(
                "SELECT name, data FROM hub_document WHERE name LIKE %s ORDER BY name",
                (prefix + "%" + suffix,),
            ).fetchall(),
            as_os_error=False,
        )
        return [(r[0], bytes(r[1])) for r in rows]

    def roster_documents(self) -> list[dict[str, Any]]:
        out = []
        for _name, data in self._documents("roster/", ".json"):
            try:
                out.append(json.loads(data))
            except ValueError:
                continue
        return out

    def invite_documents(self) -> list[tuple[str, dict[str, Any]]]:
        out = []
        for name, data in self._documents("invites/", ".inv"):
            try:
                out.append((name.rsplit("/", 1)[-1], json.loads(data)))
            except ValueError:
                continue
        return out

    # -- write-once -------------------------------------------------------------------------
    def put_file(self, name: str, data: bytes) -> str:
        """Publish `data` under `name` exactly once: "written", "exists" (same bytes already
        there) or FileExistsError (other bytes)."""
        if name == "hub.json":
            self.create(json.loads(data))
            return "written"
        parsed = parse_name(name)
        if parsed:
            return self.push(*parsed[:3], data, parsed[3])
        digest = hashlib.sha256(data).digest()

        def go(c: psycopg.Connection) -> str:
            cur = c.execute(
                "INSERT INTO hub_document (name, data, sha256) VALUES (%s, %s, %s) "
                "ON CONFLICT (name) DO NOTHING",
                (name, data, digest),
            )
            if cur.rowcount == 1:
                return "written"
            row = c.execute("SELECT sha256 FROM hub_document WHERE name = %s", (name,)).fetchone()
            return "exists" if row and bytes(row[0]) == digest else "conflict"

        result = self._run(go, as_os_error=True)
        if result == "conflict":
            raise FileExistsError(name)
        return result

    def push(self, origin: str, first: int, last: int, data: bytes, attempt: int = 1) -> str:
        facts = self.facts(data) if self.facts is not None else []
        return self._push(origin, first, last, data, facts, imported=False, attempt=attempt)

    def _push(
        self,
        origin: str,
        first: int,
        last: int,
        data: bytes,
        facts: list[ReviewFact],
        *,
        imported: bool,
        attempt: int = 1,
    ) -> str:
        digest = hashlib.sha256(data).digest()

        def go(c: psycopg.Connection) -> str:
            cur = c.execute(
                "INSERT INTO segment (origin_id, first_seq, last_seq, attempt, data, sha256) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (origin, first, last, attempt, data, digest),
            )
            if cur.rowcount != 1:
                row = c.execute(
                    "SELECT sha256 FROM segment WHERE origin_id = %s AND first_seq "
                    "= %s AND last_seq = %s AND attempt = %s",
                    (origin, first, last, attempt),
                ).fetchone()
                return "exists" if row and bytes(row[0]) == digest else "conflict"
            write_facts(c, facts, imported=imported)
            if self.before_commit is not None:
                self.before_commit(c)
            return "written"

        try:
            result = self._run(go, as_os_error=True)
        except psycopg.errors.RaiseException as exc:  # pragma: no cover - custom codes below
            raise HubRefused(_refusal(exc)) from exc
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.CheckViolation) as exc:
            self._rollback_quietly()
            raise HubRefused(_refusal(exc)) from exc
        if result == "conflict":
            raise FileExistsError(segment_name(origin, first, last, attempt))
        if self.after_commit is not None and self._conn is not None:
            try:
                self.after_commit(self._conn)
            except psycopg.OperationalError as exc:
                self.close()
                raise OSError(f"verbinding verbroken na het vastleggen ({exc})") from exc
        return result

    def _rollback_quietly(self) -> None:
        try:
            if self._conn is not None:
                self._conn.rollback()
        except psycopg.Error:
            self.close()

    # -- reading ----------------------------------------------------------------------------
    def list_segments(self) -> Listing:
        rows = self._run(
            lambda c: c.execute(
                "SELECT origin_id, first_seq, last_seq, attempt, length(data) FROM segment "
                "ORDER BY origin_id, first_seq, last_seq, attempt"
            ).fetchall(),
            as_os_error=False,
        )
        return Listing(
            [SegmentRef(segment_name(o, a, b, n), o, a, b, z) for o, a, b, n, z in rows], []
        )

    def heads(self) -> dict[str, int]:
        rows = self._run(
            lambda c: c.execute(
                "SELECT origin_id, MAX(last_seq) FROM segment GROUP BY origin_id"
            ).fetchall(),
            as_os_error=False,
        )
        return {o: int(b) for o, b in rows}

    def pull(self, origin: str, from_seq: int) -> list[SegmentRef]:
        rows = self._run(
            lambda c: c.execute(
                "SELECT first_seq, last_seq, attempt, length(data) FROM segment WHERE origin_id = %s "
                "AND last_seq > %s ORDER BY first_seq, last_seq, attempt",
                (origin, from_seq),
            ).fetchall(),
            as_os_error=False,
        )
        return [SegmentRef(segment_name(origin, a, b, n), origin, a, b, z) for a, b, n, z in rows]

    def read(self, name: str) -> bytes:
        parsed = parse_name(name)
        if parsed:
            row = self._run(
                lambda c: c.execute(
                    "SELECT data FROM segment WHERE origin_id = %s AND first_seq = %s AND "
                    "last_seq = %s AND attempt = %s",
                    parsed,
                ).fetchone(),
                as_os_error=True,
            )
        else:
            row = self._run(
                lambda c: c.execute(
                    "SELECT data FROM hub_document WHERE name = %s", (name,)
                ).fetchone(),
                as_os_error=True,
            )
        if row is None:
            raise FileNotFoundError(name)
        return bytes(row[0])

    # -- snapshots --------------------------------------------------------------------------
    def put_snapshot(self, data: bytes, heads: dict[str, int]) -> str:
        digest = hashlib.sha256(data).hexdigest()
        self._run(
            lambda c: c.execute(
                "INSERT INTO snapshot (hash, heads, data) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (digest, json.dumps(heads), data),
            ),
            as_os_error=True,
        )
        return digest

    def list_snapshots(self) -> list[tuple[str, dict[str, int]]]:
        rows = self._run(
            lambda c: c.execute(
                "SELECT hash, heads FROM snapshot ORDER BY created_at, hash"
            ).fetchall(),
            as_os_error=False,
        )
        return [(h, dict(v)) for h, v in rows]

    def get_snapshot(self, digest: str) -> bytes:
        row = self._run(
            lambda c: c.execute("SELECT data FROM snapshot WHERE hash = %s", (digest,)).fetchone(),
            as_os_error=True,
        )
        if row is None:
            raise FileNotFoundError(digest)
        return bytes(row[0])

    def has_file(self, name: str) -> bool:
        """Whether a write-once document exists (document blobs, issue 20)."""
        return self._run(
            lambda c: (
                c.execute("SELECT 1 FROM hub_document WHERE name = %s", (name,)).fetchone()
                is not None
            ),
            as_os_error=True,
        )


def _refusal(exc: psycopg.Error) -> str:
    text_ = str(exc).splitlines()[0] if str(exc) else ""
    text_ = re.sub(r"^.*?kd_(?:vier_ogen|segment):\s*", "", text_)
    return f"De teamserver weigert deze wijziging: {text_}."
