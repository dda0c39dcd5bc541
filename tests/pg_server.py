"""A throwaway PostgreSQL 16 (with pgvector) for tests, CI and benchmarks, listening on loopback.

The binaries come from the PyPI wheel `pgserver` (PostgreSQL 16 + pgvector 0.6.2 inside the
wheel); this module runs them itself so the server listens on 127.0.0.1 (pgserver's own launcher
only opens a Unix socket). As root, PostgreSQL runs as an unprivileged system user.

    python -m tests.pg_server start /tmp/kb-pg     # prints postgresql://postgres@127.0.0.1:PORT/postgres
    python -m tests.pg_server stop /tmp/kb-pg
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
from pathlib import Path

RUN_AS = ("postgres", "pgserver")  # an existing unprivileged user to run the server as (root only)
PORT_FILE = "kb-port"


def binaries() -> Path | None:
    """The folder of the bundled PostgreSQL binaries (None when pgserver is not installed)."""
    try:
        from pgserver._commands import POSTGRES_BIN_PATH
    except ImportError:
        return None
    return Path(POSTGRES_BIN_PATH)


def _user() -> str | None:
    """The user to run PostgreSQL as when we are root (created if no candidate exists)."""
    if os.geteuid() != 0:
        return None
    for name in RUN_AS:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", RUN_AS[1]], check=True)
    return RUN_AS[1]


def _run(args: list[str], user: str | None, **kw: object) -> subprocess.CompletedProcess:
    cmd = ["runuser", "-u", user, "--", *args] if user else args
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)  # type: ignore[call-overload]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _readable(path: Path) -> None:
    """Let the server's user traverse every parent folder of `path`."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & 0o005:
            parent.chmod(mode | 0o005)


def url(data: Path) -> str:
    port = (data / PORT_FILE).read_text().strip()
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def start(data: Path) -> str:
    """Create (if needed) and start a server in `data`; returns its URL."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("the pgserver package is not installed (pip install pgserver==0.1.4)")
    data = data.resolve()
    user = _user()
    if not (data / "PG_VERSION").exists():
        data.mkdir(parents=True, exist_ok=True)
        if user:
            shutil.chown(data, user, user)
            _readable(data.parent)
            _readable(bin_dir)
        _run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
              "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], user)
    port = _free_port()
    (data / PORT_FILE).write_text(str(port))
    opts = (f"-h 127.0.0.1 -p {port} -k '' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB")
    _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-w",
          "-t", "60", "-o", opts, "start"], user)
    return url(data)


def stop(data: Path) -> None:
    """Stop the server of `data` (fast shutdown); nothing when none runs."""
    bin_dir = binaries()
    if bin_dir is None or not (data / "postmaster.pid").exists():
        return
    _run([str(bin_dir / "pg_ctl"), "-D", str(data.resolve()), "-m", "fast", "-w", "stop"], _user())


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop", "url"):
        sys.stderr.write(__doc__ or "")
        return 2
    data = Path(argv[1])
    if argv[0] == "start":
        sys.stdout.write(start(data) + "\n")
    elif argv[0] == "stop":
        stop(data)
    else:
        sys.stdout.write(url(data) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
