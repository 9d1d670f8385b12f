"""A throwaway PostgreSQL cluster for the team-server tests and benchmarks.

initdb/pg_ctl are looked up on PATH, in $KD_PG_BIN and in /usr/lib/postgresql/<ver>/bin
(Debian/Ubuntu `apt-get install -y postgresql`). The cluster lives in a fresh temp directory,
listens on 127.0.0.1 on a free port only (unix socket in the temp directory), uses
scram-sha-256 passwords, and runs as the `postgres` OS user when we are root (initdb refuses
to run as root).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ADMIN = "kd_admin"
ADMIN_PASSWORD = "beheer-wachtwoord"


def find_bin() -> Path | None:
    candidates = []
    if os.environ.get("KD_PG_BIN"):
        candidates.append(Path(os.environ["KD_PG_BIN"]))
    which = shutil.which("initdb")
    if which:
        candidates.append(Path(which).parent)
    for d in sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0,
        reverse=True,
    ):
        candidates.append(Path(d))
    for d in candidates:
        if (d / "initdb").exists() and (d / "pg_ctl").exists():
            return d
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    bindir: Path
    root: Path
    port: int
    run_as: str | None

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _cmd(self, args: list[str]) -> list[str]:
        if self.run_as:
            return ["runuser", "-u", self.run_as, "--", *args]
        return args

    def run(self, args: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self._cmd(args),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
            cwd=self.root,
        )

    def init(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(ADMIN_PASSWORD + "\n")
        if self.run_as:
            shutil.chown(pwfile, self.run_as)
        self.run(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                ADMIN,
                "--auth=scram-sha-256",
                f"--pwfile={pwfile}",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            timeout=120,
        )
        with open(self.data / "postgresql.conf", "a") as fh:
            fh.write(
                f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.root}'\nfsync = off\n"
                "synchronous_commit = off\nfull_page_writes = off\nmax_connections = 60\n"
                "shared_buffers = 32MB\n"
            )

    def start(self) -> None:
        self.run(
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.root / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
            timeout=90,
        )

    def stop(self, mode: str = "fast") -> None:
        self.run(
            [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"],
            timeout=90,
        )

    def restart(self) -> None:
        self.run(
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "fast",
                "-w",
                "-l",
                str(self.root / "server.log"),
                "restart",
            ],
            timeout=90,
        )

    def url(self, user: str = ADMIN, db: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{db}?sslmode=disable"

    def admin_conninfo(self, db: str = "postgres") -> str:
        return (
            f"host=127.0.0.1 port={self.port} dbname={db} user={ADMIN} "
            f"password={ADMIN_PASSWORD} sslmode=disable"
        )

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.admin_conninfo(), autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return name


def start_cluster() -> Cluster:
    bindir = find_bin()
    if bindir is None:
        raise FileNotFoundError("initdb/pg_ctl")
    run_as = None
    if os.geteuid() == 0:
        run_as = "postgres"
        try:
            import pwd

            pwd.getpwnam(run_as)
        except KeyError as exc:
            raise FileNotFoundError("OS user 'postgres' (needed to run initdb as root)") from exc
    root = Path(tempfile.mkdtemp(prefix="kd-pg-"))
    if run_as:
        shutil.chown(root, run_as)
    cluster = Cluster(bindir, root, free_port(), run_as)
    cluster.init()
    last: Exception | None = None
    for _ in range(3):  # the free port may be taken in between: pick another
        try:
            cluster.start()
            return cluster
        except subprocess.CalledProcessError as exc:
            last = exc
            cluster.port = free_port()
            conf = (cluster.data / "postgresql.conf").read_text()
            (cluster.data / "postgresql.conf").write_text(conf + f"\nport = {cluster.port}\n")
            time.sleep(0.2)
    raise RuntimeError(f"PostgreSQL did not start: {last}")


def remove_cluster(cluster: Cluster) -> None:
    try:
        cluster.stop("immediate")
    except Exception:  # noqa: BLE001 - already stopped
        pass
    shutil.rmtree(cluster.root, ignore_errors=True)


def benchmark_cluster() -> Iterator[Cluster]:
    """Body of the benchmarks' cluster fixture (`yield from` it): a started cluster, removed
    afterwards; the benchmark is skipped when the server binaries are missing."""
    import pytest

    if find_bin() is None:
        pytest.skip("PostgreSQL-serverprogramma's niet gevonden (apt-get install -y postgresql)")
    c = start_cluster()
    yield c
    remove_cluster(c)
