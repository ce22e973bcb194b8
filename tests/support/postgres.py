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


@contextmanager
def temporary_cluster() -> Iterator[str]:
    """Start a private cluster on loopback; yield a SQLAlchemy URL to an empty database."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (no pg_ctl)")
    base = Path(tempfile.mkdtemp(prefix="pn-pg-"))
    data, port = base / "data", _free_port()
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(base, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    env = {**os.environ, "LC_ALL": "C"}
    subprocess.run(
        [
            *run_as,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    subprocess.run(
        [
            *run_as,
            str(bin_dir / "pg_ctl"),
            "start",
            "-D",
            str(data),
            "-w",
            "-l",
            str(base / "log"),
            "-o",
            f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100",
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    try:
        subprocess.run(
            [
                *run_as,
                str(bin_dir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "notify_test",
            ],
            check=True,
            capture_output=True,
            env=env,
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/notify_test"
    finally:
        subprocess.run(
            [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            env=env,
        )
        shutil.rmtree(base, ignore_errors=True)
