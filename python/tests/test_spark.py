"""eblog.spark in local mode (local[2]) against the CLI: the same records per kind."""

import os
from collections import Counter

import pyarrow.dataset as pds
import pytest

from conftest import scan

pyspark = pytest.importorskip("pyspark")

import eblog.spark  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    import sys

    from pyspark.sql import SparkSession

    # The workers run the Python that has eblog (the driver's).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("eblog-test")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    yield session
    session.stop()


def cli_kinds(dataset) -> Counter:
    table = pds.dataset(dataset / "records", format="parquet", partitioning="hive").to_table(
        columns=["kind"]
    )
    return Counter(table.column("kind").to_pylist())


def spark_kinds(df) -> Counter:
    return Counter({row["kind"]: row["count"] for row in df.groupBy("kind").count().collect()})


def test_records_of_samples_per_kind_equal_the_clis(spark, samples, samples_dataset):
    df = eblog.spark.read_records(spark, [str(samples)])
    assert [f.name for f in df.schema.fields] == eblog.schema().names
    assert spark_kinds(df) == cli_kinds(samples_dataset)
    # Per file too: Spark names files by URI.
    per_file = Counter()
    for r in df.groupBy("source").count().collect():
        per_file[r["source"].removeprefix("file:").split("!")[0]] += r["count"]
    manifest_files = Counter()
    import json

    for report in json.loads((samples_dataset / "manifest.json").read_text())["scan"]["inputs"]:
        if report["records"]:
            manifest_files[str(samples.parent / report["source"].split("!")[0])] += report["records"]
    assert per_file == manifest_files


def test_a_named_file_of_unknown_format_is_parsed_as_unparsed(spark, tmp_path):
    path = tmp_path / "mystery.txt"
    path.write_bytes(b"not a log\nat all\n")
    named = eblog.spark.read_records(spark, [str(path)]).collect()
    assert [r["kind"] for r in named] == ["unparsed", "unparsed"]
    # Found in a directory, it is skipped, as `eblog scan DIR` does.
    assert eblog.spark.read_records(spark, [str(tmp_path)]).count() == 0


def test_records_of_a_fleet_per_kind_equal_the_clis(spark, fleet, tmp_path):
    manifest = scan([fleet], tmp_path / "fleet-ds")
    df = eblog.spark.read_records(spark, [str(fleet)])
    counts = spark_kinds(df)
    assert sum(counts.values()) == manifest["scan"]["records"] > 10_000
    assert counts == cli_kinds(tmp_path / "fleet-ds")


def test_commands_per_host_equal_the_clis(spark, samples, samples_dataset):
    df = eblog.spark.read_commands(spark, [str(samples)])
    table = pds.dataset(samples_dataset / "commands", format="parquet", partitioning="hive").to_table()
    ours = sorted((r["command"], r["status"], r["duration_ms"]) for r in df.collect())
    theirs = sorted(
        (r["command"], r["status"], r["duration_ms"]) for r in table.select(["command", "status", "duration_ms"]).to_pylist()
    )
    assert len(ours) == len(theirs) > 0
    assert ours == theirs
