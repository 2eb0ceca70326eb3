"""A throwaway PostgreSQL server for tests and benchmarks (stdlib only).

PostgreSQL refuses to run as root, and CI runs as root, so when we are root the
server runs as the unprivileged ``postgres`` user that Debian's package creates.
The server listens on 127.0.0.1 on a free port, trusts local connections, keeps
everything in a temporary directory and is removed when stopped.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def find_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for path in candidates:
        if Path(path, "initdb").exists() and Path(path, "pg_ctl").exists():
            return Path(path)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def install_if_missing() -> Path | None:
    """Install Debian's PostgreSQL server when it is missing and we can (root with apt-get)."""
    bindir = find_bindir()
    if bindir is not None:
        return bindir
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "--no-install-recommends", "postgresql"],
            check=True,
            env=env,
        )
    return find_bindir()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def throwaway_server(database: str = "whereabouts") -> Iterator[str]:
    """Start a server, create ``database`` and yield its URL; stop and delete it afterwards."""
    bindir = install_if_missing()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed and could not be installed")
    as_root = os.geteuid() == 0
    user = pwd.getpwnam("postgres") if as_root else None
    root = Path(tempfile.mkdtemp(prefix="whereabouts-pg-"))
    if user is not None:
        os.chown(root, user.pw_uid, user.pw_gid)
    datadir = root / "data"
    port = _free_port()

    def run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        def demote() -> None:
            if user is not None:
                os.setgid(user.pw_gid)
                os.setuid(user.pw_uid)

        return subprocess.run(  # type: ignore[call-overload, no-any-return]
            args, check=True, preexec_fn=demote, cwd=root, **kwargs
        )

    dbuser = "postgres" if as_root else pwd.getpwuid(os.geteuid()).pw_name
    run(
        [str(bindir / "initdb"), "-D", str(datadir), "-U", dbuser, "--auth=trust",
         "--encoding=UTF8", "--locale=C.UTF-8"],
        stdout=subprocess.DEVNULL,
    )
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB "
        "-c max_wal_size=2GB"
    )
    run(
        [str(bindir / "pg_ctl"), "-D", str(datadir), "-o", options, "-l", str(root / "log"),
         "-w", "-t", "60", "start"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            ready = subprocess.run(
                [str(bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                capture_output=True,
            )
            if ready.returncode == 0:
                break
            time.sleep(0.1)
        run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", dbuser, database])
        yield f"postgres://{dbuser}@127.0.0.1:{port}/{database}"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            run([str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop"],
                stdout=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)
