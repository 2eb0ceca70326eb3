"""The GOV.UK and MoJ frontend packages: fetched from npm, checked, unpacked beside the app.

The versions and their npm integrity hashes are pinned in ``frontend.lock.json``. Nothing is
copied into the repository: ``whereabouts frontend`` (run by ``dev.py``) downloads each
tarball, refuses it unless its SHA-512 matches the lock file, and unpacks only the files the
pages use into ``FRONTEND_DIR``:

- ``static/<package>/...``: the compiled CSS and JavaScript, served under ``/static/``;
- ``root/assets/...``: the fonts and images, served at ``/assets/`` because the compiled CSS
  refers to them there;
- ``test/<package>/...``: what only the tests use (axe-core, for the accessibility checks),
  never served.

Standard library only, so that it can run before anything else is installed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import tarfile
import urllib.request
from pathlib import Path

LOCK = Path(__file__).with_name("frontend.lock.json")
FRONTEND_DIR = Path(__file__).with_name("frontend")


class IntegrityError(RuntimeError):
    """A downloaded package does not match the hash pinned in the lock file."""


def packages(lock: Path = LOCK) -> list[dict]:
    return json.loads(lock.read_text())["packages"]


def check_integrity(data: bytes, integrity: str, name: str) -> None:
    """Refuse ``data`` unless it matches an npm ``sha512-<base64>`` integrity string."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise IntegrityError(f"{name}: integrity must be sha512, not {algorithm!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise IntegrityError(f"{name}: the download does not match the pinned integrity "
                             f"(expected sha512-{expected}, got sha512-{actual})")


def unpack(data: bytes, package: dict, target: Path) -> None:
    """Unpack the package's CSS, JavaScript and assets from a checked tarball into ``target``."""
    wanted = {name: target / area / dest for area in ("static", "test")
              for name, dest in package.get(area, {}).items()}
    assets = package.get("assets") or "\0"  # no assets: a prefix no member name has
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            if member.name in wanted:
                dest = wanted[member.name]
            elif member.name.startswith(assets):
                dest = target / "root" / "assets" / member.name[len(assets):]
            else:
                continue
            if ".." in Path(member.name).parts:
                raise IntegrityError(f"{package['name']}: unsafe path {member.name!r}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            assert source is not None
            dest.write_bytes(source.read())
    missing = [name for name, dest in wanted.items() if not dest.exists()]
    if missing:
        raise IntegrityError(f"{package['name']}: not in the package: {', '.join(missing)}")


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - https from lock
        return response.read()


def install(target: Path = FRONTEND_DIR, lock: Path = LOCK, *, fetch=_download) -> bool:
    """Install the locked packages into ``target`` unless already there. True if installed."""
    stamp = target / ".lock-digest"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return False
    staging = target.with_name(target.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    for package in packages(lock):
        data = fetch(package["tarball"])
        check_integrity(data, package["integrity"], package["name"])
        unpack(data, package, staging)
    (staging / ".lock-digest").write_text(digest)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return True
