"""The Python API against the CLI built from the same tree, on samples/."""

import gzip
import json
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pds
import pytest

import eblog
from conftest import REPO, run_eblog


def plain(table: pa.Table) -> pa.Table:
    """Dictionary columns decoded, to compare values whatever the dictionaries hold."""
    cols = [
        c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c
        for c in table.columns
    ]
    return pa.Table.from_arrays(cols, names=table.column_names)


def dataset_table(dataset: Path, table: str) -> pa.Table:
    return pds.dataset(dataset / table, format="parquet", partitioning="hive").to_table()


def by_position(table: pa.Table) -> pa.Table:
    return plain(table).sort_by([("source", "ascending"), ("offset", "ascending"), ("line", "ascending")])


def kinds(table: pa.Table) -> Counter:
    return Counter(plain(table).column("kind").to_pylist())


@pytest.fixture(scope="module")
def records(samples) -> pa.Table:
    import os

    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        return eblog.read_table(["samples"])
    finally:
        os.chdir(cwd)


def test_schema_is_the_records_table_of_a_scan(records, samples_dataset):
    schema = eblog.schema()
    assert records.schema == schema
    assert schema.field("ts").type == pa.timestamp("us", tz="UTC")
    # Plain strings, as in the dataset's files: engines (polars) turn dictionaries into
    # categoricals that do not join with the other tables' strings.
    assert schema.field("kind").type == pa.string()
    assert schema.field("host").type == pa.string()
    assert schema.field("pid").type == pa.int32()
    one_file = next((samples_dataset / "records").glob("date=*/*.parquet"))
    import pyarrow.parquet as pq

    on_disk = pq.read_schema(one_file)
    # The files leave out `date`, the Hive partition.
    assert on_disk == schema.remove(schema.get_field_index("date"))


def test_same_records_as_the_dataset(records, samples_dataset):
    ours = by_position(records)
    theirs = dataset_table(samples_dataset, "records")
    # The partition column comes back as a dictionary; Hive's default partition
    # (`date=__HIVE_DEFAULT_PARTITION__`) as null, the API's null date.
    date = theirs.column("date").cast(pa.string())
    assert date.null_count == ours.column("date").null_count > 0
    theirs = theirs.set_column(theirs.schema.get_field_index("date"), "date", date)
    theirs = by_position(theirs.select(records.column_names))
    assert ours.num_rows == theirs.num_rows > 100
    assert ours.equals(theirs)


def test_counts_equal_the_manifest(records, samples_dataset):
    manifest = json.loads((samples_dataset / "manifest.json").read_text())
    assert records.num_rows == manifest["scan"]["records"]
    unparsed = pc.sum(pc.equal(plain(records).column("kind"), "unparsed")).as_py()
    assert unparsed == manifest["scan"]["unparsed"]
    # A wrapper's section header is a record of the outer file that the manifest counts
    # with its section.
    per_source = Counter()
    for r in plain(records).select(["source", "kind", "fields"]).to_pylist():
        path = json.loads(r["fields"]).get("path") if r["kind"] == "section" else None
        per_source[f"{r['source']}!{path}" if path else r["source"]] += 1
    from_manifest = Counter()
    for report in manifest["scan"]["inputs"]:
        if report["records"]:
            from_manifest[report["source"]] += report["records"]
    assert per_source == from_manifest
    assert kinds(records) == kinds(dataset_table(samples_dataset, "records"))


def test_same_records_as_eblog_parse_jsonl(records):
    lines = run_eblog("parse", "samples").stdout.splitlines()
    parsed = [json.loads(line) for line in lines]
    assert len(parsed) == records.num_rows
    rows = plain(records).select(["source", "line", "kind", "message"]).to_pylist()
    assert [(r["source"], r["line"], r["kind"], r["message"]) for r in parsed] == [
        (r["source"], r["line"], r["kind"], r["message"]) for r in rows
    ]


def test_read_streams_batches_in_order(samples):
    reader = eblog.read([samples / "cfn-hup.log", samples / "al2"], threads=2)
    assert isinstance(reader, pa.RecordBatchReader)
    assert reader.schema == eblog.schema()
    table = reader.read_all()
    sources = plain(table).column("source").to_pylist()
    assert sources[0].endswith("cfn-hup.log")
    # Input order: the named file first, then the directory's files in name order.
    firsts = list(dict.fromkeys(sources))
    assert firsts[0].endswith("cfn-hup.log")
    assert firsts[1:] == sorted(firsts[1:])


def test_parse_bytes_is_reading_the_file(samples):
    for path in sorted(p for p in samples.rglob("*") if p.is_file() and p.suffix != ".md"):
        from_bytes = eblog.parse_bytes(path.read_bytes(), name=str(path))
        from_file = eblog.read_table([path])
        # web.stdout.log without a year takes it from the file's time, passed as written.
        if from_bytes.num_rows and "web.stdout" in path.name:
            continue
        assert plain(from_bytes).equals(plain(from_file)), path


def test_parse_bytes_opens_gzip_and_names_a_cut_file(samples, tmp_path):
    data = (samples / "cfn-hup.log").read_bytes()
    packed = gzip.compress(data)
    table = eblog.parse_bytes(packed, name="var/log/cfn-hup.log.1.gz")
    assert table.num_rows == eblog.parse_bytes(data, name="var/log/cfn-hup.log").num_rows
    with pytest.raises(OSError, match=r"cut\.log\.gz.*decompressed bytes"):
        eblog.parse_bytes(packed[: len(packed) // 2], name="var/log/cut.log.gz")
    cut = tmp_path / "cut.log.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(OSError, match=r"cut\.log\.gz.*decompressed bytes"):
        eblog.read_table([cut])


def test_bad_bytes_are_unparsed_rows_as_in_the_cli(tmp_path):
    path = tmp_path / "mystery.bin"
    path.write_bytes(b"\xff\xfe\x00 not a log\nstill \x80 nothing\n")
    cli = [json.loads(line) for line in run_eblog("parse", str(path)).stdout.splitlines()]
    table = plain(eblog.parse_bytes(path.read_bytes(), name=str(path)))
    assert [r["kind"] for r in cli] == table.column("kind").to_pylist()
    assert set(table.column("kind").to_pylist()) == {"unparsed"}
    assert [r["message"] for r in cli] == table.column("message").to_pylist()
    assert [json.loads(f) for f in table.column("fields").to_pylist()] == [
        {k: v for k, v in r.items() if k not in ("source", "line", "end_line", "offset", "bytes", "format", "ts", "level", "pid", "activity", "message", "instance_id", "environment_id")}
        for r in cli
    ]
    # Found rather than named, the unknown file is skipped, as in a directory walk.
    assert eblog.parse_bytes(path.read_bytes(), name=str(path), explicit=False).num_rows == 0


def test_options_are_checked(samples):
    with pytest.raises(FileNotFoundError, match="nope"):
        eblog.read_table([samples / "nope"])
    with pytest.raises(ValueError, match="unknown format"):
        eblog.read_table([samples], format="syslog")
    with pytest.raises(ValueError, match="tz"):
        eblog.read_table([samples], tz="Mars/Olympus")
    forced = eblog.read_table([samples / "cfn-hup.log"], format="cfn-init")
    assert set(plain(forced).column("format").to_pylist()) <= {"cfn-init", None}


def test_redaction_as_in_the_cli(samples):
    redacted = plain(eblog.read_table([samples]))
    kept = plain(eblog.read_table([samples], redact=False))
    assert redacted.num_rows == kept.num_rows
    changed = [a != b for a, b in zip(redacted.column("message").to_pylist(), kept.column("message").to_pylist())]
    assert any(changed), "the samples hold secrets to redact"
    cli = [json.loads(line)["message"] for line in run_eblog("parse", "--no-redact", str(samples)).stdout.splitlines()]
    assert cli == kept.column("message").to_pylist()


def test_commands_are_the_datasets_commands_table(samples_dataset):
    import os

    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        raw = eblog.commands(["samples"])
    finally:
        os.chdir(cwd)
    assert raw.schema == eblog.commands_schema()
    ours = plain(raw)
    theirs = plain(dataset_table(samples_dataset, "commands"))
    assert sorted(ours.schema.names) == sorted(theirs.schema.names)
    key = ["host", "command", "started", "status", "duration_ms"]
    rows = lambda t: sorted(t.select(key).to_pylist(), key=repr)  # noqa: E731
    assert len(rows(ours)) == len(rows(theirs)) > 0
    assert rows(ours) == rows(theirs)


def test_commands_bytes_keeps_a_hosts_files_together(samples):
    files = [(str(p), p.read_bytes()) for p in sorted((samples / "al2").rglob("*")) if p.is_file()]
    from_bytes = plain(eblog.commands_bytes(files))
    from_paths = plain(eblog.commands([samples / "al2"]))
    assert from_bytes.num_rows == from_paths.num_rows > 0
    assert from_bytes.column("status").to_pylist() == from_paths.column("status").to_pylist()


def test_polars_and_duckdb_read_the_table(records):
    import duckdb
    import polars as pl

    frame = pl.from_arrow(records)
    polars_counts = dict(frame.group_by("kind").len().iter_rows())
    duck = duckdb.sql("select kind, count(*) from records group by kind").fetchall()
    assert polars_counts == dict(duck) == dict(kinds(records))


def test_help_says_what_the_readme_says():
    doc = eblog.read.__doc__
    for phrase in ("directory", ".gz", ".zip", "unparsed", "redact", "tz", "--tz"):
        assert phrase in doc, phrase
    assert "RecordBatchReader" in doc
