"""`eblog scan --shard K/N`: the union of the N datasets is the unsharded one."""

import json

import pyarrow as pa
import pyarrow.dataset as pds
import pytest

from conftest import REPO, scan

KEY = ["source", "line", "offset", "kind", "message"]


def rows(dataset) -> list:
    table = pds.dataset(dataset / "records", format="parquet", partitioning="hive").to_table(columns=KEY)
    cols = [c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    return sorted(map(tuple, zip(*[c.to_pylist() for c in cols])))


def check_union(paths, tmp_path, n=3):
    whole = scan(paths, tmp_path / "whole")
    parts, sources = [], []
    for k in range(1, n + 1):
        manifest = scan(paths, tmp_path / f"shard-{k}", "--shard", f"{k}/{n}")
        assert manifest["scan"]["shard"] == f"{k}/{n}"
        parts.extend(rows(tmp_path / f"shard-{k}"))
        sources.append({i["source"] for i in manifest["scan"]["inputs"]})
    assert "shard" not in whole["scan"]
    assert sorted(parts) == rows(tmp_path / "whole")
    # Every input is in exactly one shard.
    assert sum(len(s) for s in sources) == len({i["source"] for i in whole["scan"]["inputs"]})
    return sources


def test_union_of_sample_shards_is_the_whole(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    check_union(["samples"], tmp_path)


def test_union_of_fleet_shards_is_the_whole_and_hosts_stay_together(fleet, tmp_path):
    sources = check_union([fleet], tmp_path)
    assert all(sources), "every shard of a fleet got some hosts"
    import re

    owner = {}
    for k, shard in enumerate(sources):
        for source in shard:
            instance = re.search(r"/(i-[0-9a-f]+)/", source)
            if instance:
                assert owner.setdefault(instance.group(1), k) == k, source
    assert len(owner) > 3
