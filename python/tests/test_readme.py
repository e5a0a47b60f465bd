"""The README's "From Python" and "On a cluster" examples run as written (from the
repository's root, with the eblog CLI on PATH)."""

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, eblog_bin


def blocks(section: str):
    text = (REPO / "README.md").read_text()
    start = text.index(f"\n## {section}\n")
    end = text.index("\n## ", start + 1)
    return re.findall(r"```(\w+)\n(.*?)```", text[start:end], flags=re.S)


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("PATH", str(Path(eblog_bin()).parent) + os.pathsep + os.environ["PATH"])


def test_from_python_examples_run(at_root, capsys):
    code = [body for lang, body in blocks("From Python") if lang == "python"]
    assert code
    namespace: dict = {}
    for body in code:
        exec(compile(body, "README.md", "exec"), namespace)
    assert namespace["records"].num_rows > 100
    assert namespace["deploys"].num_rows > 0
    engine = namespace["engine"].column("format").cast("string").unique().to_pylist()
    assert engine == ["engine"]
    # The examples print what they compute: the most common kind heads both tables.
    from collections import Counter

    kinds = Counter(namespace["records"].column("kind").cast("string").to_pylist())
    assert capsys.readouterr().out.count(kinds.most_common(1)[0][0]) >= 2


def test_on_a_cluster_examples_run(at_root):
    pytest.importorskip("pyspark")
    import duckdb

    namespace: dict = {}
    ran = set()
    for lang, body in blocks("On a cluster"):
        if lang == "sh":
            subprocess.run(body, shell=True, check=True, cwd=REPO)
        elif lang == "sql":
            namespace["duckdb_union"] = duckdb.sql(body).fetchall()
        elif lang == "python":
            exec(compile(body, "README.md", "exec"), namespace)
        ran.add(lang)
    assert ran == {"sh", "sql", "python"}
    total = sum(n for _, n in namespace["duckdb_union"])
    assert total == namespace["records"].count() == namespace["union"].count() > 100
    namespace["spark"].stop()
