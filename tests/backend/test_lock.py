"""The environment the suites run in is the one tools/requirements-lock.txt pins: every installed package at its
pinned version and nothing installed unpinned, so a fresh clone tests what CI tested (make lock renews the pins)."""
from importlib.metadata import distributions

from packaging.utils import canonicalize_name

from backend.settings import ROOT

LOCK = ROOT / "tools" / "requirements-lock.txt"
INSTALLERS = {"pip", "setuptools", "uv", "odyssey"}  # the venv's own tools and the project itself


def test_every_installed_package_is_pinned_at_its_version():
    pinned = dict(line.split("==") for line in LOCK.read_text().splitlines() if line and not line.startswith("#"))
    pinned = {canonicalize_name(name): version for name, version in pinned.items()}
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in distributions()}
    installed = {name: version for name, version in installed.items() if name not in INSTALLERS}
    unpinned = sorted(set(installed) - set(pinned))
    assert not unpinned, f"installed but not in {LOCK.name}: {unpinned}: run `make lock`, then make test"
    differ = {name: (installed.get(name), version) for name, version in pinned.items() if installed.get(name) != version}
    assert not differ, f"installed versions differ from {LOCK.name} (installed, pinned): {differ}: run `make install`"
