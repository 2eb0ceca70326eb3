#!/usr/bin/env python3
"""Set everything up and run whereabouts: the two quick-start commands.

    python3 dev.py demo      # install, build the seed scenario on SQLite, serve it on localhost
    python3 dev.py test      # install, then run the whole test suite on SQLite and on PostgreSQL

Needs only Python 3.11+. Everything is installed into ./.venv from the hashed lock files in
requirements/, so a fresh clone on a fresh machine gets exactly the versions CI tested.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PY = BIN / "python"

if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on any python3
    sys.exit("whereabouts needs Python 3.11 or newer; this is " + sys.version.split()[0])


def ensure_venv(lock: str) -> None:
    """Create .venv and install the lock file (once per lock file content)."""
    lockfile = ROOT / "requirements" / lock
    stamp = VENV / f".installed-{lock}"
    digest = hashlib.sha256(lockfile.read_bytes() + (ROOT / "pyproject.toml").read_bytes())
    wanted = digest.hexdigest()
    if stamp.exists() and stamp.read_text() == wanted and PY.exists():
        return
    if not PY.exists():
        print(f"Creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(PY), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--require-hashes", "-r", str(lockfile)], check=True)
    subprocess.run([*pip, "install", "--no-deps", "-e", str(ROOT)], check=True)
    stamp.write_text(wanted)


def ensure_frontend() -> None:
    """The GOV.UK and MoJ frontend packages, at the versions and hashes in the lock file."""
    subprocess.run([str(BIN / "whereabouts"), "frontend"], check=True)


def demo(args: argparse.Namespace) -> int:
    ensure_venv("base.lock")
    ensure_frontend()
    env = dict(os.environ)
    env.setdefault("WHEREABOUTS_DATA_DIR", str(ROOT / "var"))
    env.pop("DATABASE_URL", None)  # the demo is always the embedded SQLite database
    cmd = [str(BIN / "whereabouts"), "demo", "--port", str(args.port)]
    return subprocess.run(cmd, env=env).returncode


def ensure_chromium() -> None:
    """The interface tests drive Debian's Chromium; install it when missing and we can."""
    if shutil.which("chromium"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=True, env=env)
    else:
        print("Chromium is not installed: the browser tests will fail. "
              "Install Debian's 'chromium' package.", file=sys.stderr)


def test(args: argparse.Namespace) -> int:
    ensure_venv("dev.lock")
    ensure_frontend()
    ensure_chromium()
    sys.path.insert(0, str(ROOT / "tools"))
    import pgserver  # noqa: PLC0415 - stdlib-only helper beside this script

    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["WHEREABOUTS_DATA_DIR"] = str(ROOT / "var" / "test")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # No persistent connections in tests: a live server thread must not hold the test
    # database open when it is dropped.
    env["WHEREABOUTS_CONN_MAX_AGE"] = "0"
    steps: list[tuple[str, int]] = []

    lint = subprocess.run([str(BIN / "ruff"), "check", "src", "tests", "tools", "benchmarks",
                           "dev.py"], cwd=ROOT, env=env)
    steps.append(("ruff", lint.returncode))

    pytest = [str(PY), "-m", "pytest", *args.pytest_args]
    print("\n=== Test suite on SQLite ===", flush=True)
    steps.append(("sqlite", subprocess.run(pytest, cwd=ROOT, env=env).returncode))

    if not args.sqlite_only:
        print("\n=== Test suite on PostgreSQL (throwaway server) ===", flush=True)
        try:
            with pgserver.throwaway_server() as url:
                pg_env = dict(env, DATABASE_URL=url, WHEREABOUTS_REQUIRE_POSTGRES="1")
                run = subprocess.run(pytest, cwd=ROOT, env=pg_env)
                steps.append(("postgresql", run.returncode))
        except (RuntimeError, subprocess.CalledProcessError, KeyError) as exc:
            print(f"Could not start PostgreSQL: {exc}", file=sys.stderr)
            steps.append(("postgresql", 1))

    print("\n=== Summary ===")
    for name, code in steps:
        print(f"{name:12} {'ok' if code == 0 else f'FAILED (exit {code})'}")
    return 0 if all(code == 0 for _, code in steps) else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_demo = sub.add_parser("demo", help="install, build the seed scenario and serve it")
    p_demo.add_argument("--port", type=int, default=8000)
    p_demo.set_defaults(func=demo)
    p_test = sub.add_parser("test", help="install and run the whole test suite")
    p_test.add_argument("--sqlite-only", action="store_true", help="skip the PostgreSQL run")
    p_test.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    p_test.set_defaults(func=test)
    args = parser.parse_args()
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
