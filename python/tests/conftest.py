"""Shared fixtures: the eblog CLI built from the same tree, the repository's samples, and
datasets written by `eblog scan` to compare the Python API with."""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"


def eblog_bin() -> str:
    return os.environ.get("EBLOG_BIN", str(REPO / "target" / "release" / "eblog"))


def run_eblog(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [eblog_bin(), *args], cwd=cwd, check=True, capture_output=True, text=True
    )


def scan(paths, out: Path, *extra: str) -> dict:
    """Runs `eblog scan` and returns its manifest."""
    run_eblog("scan", *[str(p) for p in paths], "--out", str(out), "-q", *extra)
    return json.loads((out / "manifest.json").read_text())


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def samples_dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples-dataset") / "ds"
    # Relative paths, so that `source` is spelled as the API is given it.
    scan(["samples"], out)
    return out


@pytest.fixture(scope="session")
def fleet() -> Path:
    """A generated fleet (`.ci/python.sh` makes one with gen_fleet; EBLOG_FLEET names it)."""
    path = os.environ.get("EBLOG_FLEET")
    if not path:
        pytest.skip("EBLOG_FLEET is not set (.ci/python.sh generates a fleet)")
    return Path(path)
