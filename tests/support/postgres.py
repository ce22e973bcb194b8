"""A throwaway PostgreSQL cluster for tests whose behaviour differs there (locking, concurrency)."""

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def find_pg_bin() -> Path | None:
    """The directory holding initdb and pg_ctl: from PATH, or Debian's versioned directory."""
    found = shutil.which("pg_ctl")
    if found:
        bin_dir = Path(found).resolve().parent  # /usr/local/bin may hold only a symlink
        if (bin_dir / "initdb").exists() and (bin_dir / "createdb").exists():
            return bin_dir
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if all((candidate / tool).exists() for tool in ("pg_ctl", "initdb", "createdb")):
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A private PostgreSQL cluster on loopback with one empty database, which a test may stop
    and start again (a database restart)."""

    def __init__(self) -> None:
        bin_dir = find_pg_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed (no pg_ctl)")
        self.bin_dir = bin_dir
        self.base = Path(tempfile.mkdtemp(prefix="pn-pg-"))
        self.data, self.port = self.base / "data", _free_port()
        self.run_as: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.base, "postgres")
            self.run_as = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/notify_test"

    def create(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )  # fmt: skip
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                  "notify_test")  # fmt: skip

    def start(self) -> None:
        self._run(
            "pg_ctl", "start", "-D", str(self.data), "-w", "-l", str(self.base / "log"), "-o",
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100",
        )  # fmt: skip

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server; `immediate` is a crash as far as its clients can tell."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "stop", check=False)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def _run(self, tool: str, *args: str, check: bool = True) -> None:
        subprocess.run(
            [*self.run_as, str(self.bin_dir / tool), *args],
            check=check,
            capture_output=True,
            env={**os.environ, "LC_ALL": "C"},
        )


@contextmanager
def temporary_cluster() -> Iterator[str]:
    """Start a private cluster on loopback; yield a SQLAlchemy URL to an empty database."""
    cluster = Cluster()
    try:
        cluster.create()
        yield cluster.url
    finally:
        cluster.remove()
