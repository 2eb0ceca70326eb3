"""The GOV.UK and MoJ frontend packages: installed only when they match the pinned hashes."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from whereabouts.web import frontend


def tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


@pytest.fixture
def package(tmp_path: Path) -> tuple[Path, bytes]:
    data = tarball({"package/dist/x.min.css": b"body{}", "package/dist/assets/fonts/a.woff2": b"F",
                    "package/README.md": b"not wanted"})
    lock = tmp_path / "lock.json"
    lock.write_text(json.dumps({"packages": [{
        "name": "x", "version": "1.0.0", "tarball": "https://example.invalid/x.tgz",
        "integrity": sri(data), "static": {"package/dist/x.min.css": "x/x.min.css"},
        "assets": "package/dist/assets/"}]}))
    return lock, data


def test_a_package_matching_its_pinned_hash_is_unpacked(tmp_path, package):
    lock, data = package
    target = tmp_path / "frontend"
    assert frontend.install(target, lock, fetch=lambda url: data) is True
    assert (target / "static" / "x" / "x.min.css").read_bytes() == b"body{}"
    assert (target / "root" / "assets" / "fonts" / "a.woff2").read_bytes() == b"F"
    assert not list(target.rglob("README.md"))
    assert frontend.install(target, lock, fetch=lambda url: b"never fetched") is False


def test_a_package_that_does_not_match_its_pinned_hash_is_refused(tmp_path, package):
    lock, data = package
    target = tmp_path / "frontend"
    with pytest.raises(frontend.IntegrityError, match="does not match the pinned integrity"):
        frontend.install(target, lock, fetch=lambda url: data + b"tampered")
    assert not target.exists()


def test_a_lock_without_a_sha512_integrity_is_refused():
    with pytest.raises(frontend.IntegrityError, match="must be sha512"):
        frontend.check_integrity(b"x", "sha1-abc", "x")


def test_the_lock_pins_an_exact_version_and_hash_for_each_package():
    for pkg in frontend.packages():
        assert pkg["version"].count(".") == 2 and pkg["integrity"].startswith("sha512-")
        assert pkg["tarball"].startswith("https://registry.npmjs.org/")
        assert pkg["version"] in pkg["tarball"]


@pytest.mark.django_db
def test_the_installed_styles_scripts_and_fonts_are_served(client):
    for path in ("/static/govuk-frontend/govuk-frontend.min.css",
                 "/static/govuk-frontend/govuk-frontend.min.js",
                 "/static/moj-frontend/moj-frontend.min.css",
                 "/static/moj-frontend/moj-frontend.min.js",
                 "/assets/images/favicon.ico"):
        assert client.get(path).status_code == 200, path
    css = client.get("/static/govuk-frontend/govuk-frontend.min.css")
    font = next(part.split(")")[0] for part in b"".join(css).decode().split("url(")[1:]
                if ".woff2" in part)
    assert client.get(font).status_code == 200


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(client, officer):
    client.force_login(officer)
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_template_has_inline_script_or_style():
    templates = Path(frontend.__file__).parent / "templates"
    for template in templates.rglob("*.html"):
        html = template.read_text()
        assert "<style" not in html and " style=" not in html, template
        assert "<script>" not in html and "<script type=\"module\">" not in html, template
