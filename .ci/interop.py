"""Interop check: DuckDB, polars and Spark read an eblog dataset as it is.

Usage: python .ci/interop.py DATASET_DIR [--fleet]

--fleet: a generated fleet's dataset, without the checks of what samples/ holds (the
failed legacy deploy and its hook).

Checks that DuckDB reads records/, events/ and commands/ with hive_partitioning, that its
row counts equal the manifest's, that `ts` arrives as a TIMESTAMP (with time zone), that
the `date` partition column comes from the directory names as a DATE in every table (rows
without a time stamp in Hive's null partition), that every table has a `host`, and that
records and commands join on host and date. Then the same with polars (scan_parquet with
hive partitioning) and pyspark in local mode (Java 17), when they are installed
(.ci/requirements.txt pins them).
"""

import json
import pathlib
import sys

import duckdb


def main(dataset: str, fleet: bool = False) -> int:
    root = pathlib.Path(dataset)
    manifest = json.loads((root / "manifest.json").read_text())
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    failures = []

    def check(ok: bool, what: str) -> None:
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    records = f"read_parquet('{root}/records/*/*.parquet', hive_partitioning = true)"
    count = con.execute(f"select count(*) from {records}").fetchone()[0]
    check(count == manifest["scan"]["records"], f"records: DuckDB counts {count}, manifest says {manifest['scan']['records']}")
    table_rows = sum(f["rows"] for f in manifest["tables"]["records"])
    check(count == table_rows, f"records: manifest file rows {table_rows}")

    types = dict(con.execute(f"select column_name, column_type from (describe select * from {records})").fetchall())
    check(types.get("ts", "").startswith("TIMESTAMP"), f"records.ts is {types.get('ts')}")
    check(types.get("kind") == "VARCHAR", f"records.kind is {types.get('kind')}")
    check("date" in types, "records.date comes from the hive partition")

    dated = con.execute(f"select count(*) from {records} where ts is not null and strftime(ts, '%Y-%m-%d') <> date::varchar").fetchone()[0]
    check(dated == 0, f"every row sits in the partition of its ts ({dated} do not)")

    unparsed = con.execute(f"select count(*) from {records} where kind = 'unparsed'").fetchone()[0]
    check(unparsed == manifest["scan"]["unparsed"], f"unparsed: {unparsed} vs manifest {manifest['scan']['unparsed']}")

    events_rows = sum(f["rows"] for f in manifest["tables"]["events"])
    if events_rows:
        events = f"read_parquet('{root}/events/*/*.parquet', hive_partitioning = true)"
        n = con.execute(f"select count(*) from {events}").fetchone()[0]
        check(n == events_rows, f"events: DuckDB counts {n}, manifest files say {events_rows}")
        etypes = dict(con.execute(f"select column_name, column_type from (describe select * from {events})").fetchall())
        check(etypes.get("ts", "").startswith("TIMESTAMP"), f"events.ts is {etypes.get('ts')}")
    else:
        check(False, "the dataset has events")

    commands_rows = sum(f["rows"] for f in manifest["tables"].get("commands", []))
    check(commands_rows > 0, f"the dataset has command executions ({commands_rows})")
    if commands_rows:
        commands = f"read_parquet('{root}/commands/*/*.parquet', hive_partitioning = true)"
        n = con.execute(f"select count(*) from {commands}").fetchone()[0]
        check(n == commands_rows, f"commands: DuckDB counts {n}, manifest files say {commands_rows}")
        ctypes = dict(con.execute(f"select column_name, column_type from (describe select * from {commands})").fetchall())
        check(ctypes.get("started", "").startswith("TIMESTAMP"), f"commands.started is {ctypes.get('started')}")
        check(ctypes.get("steps", "").startswith("STRUCT(") and ctypes.get("steps", "").endswith("[]"), f"commands.steps is a list of structs: {ctypes.get('steps')}")
    if commands_rows and not fleet:
        failed = con.execute(f"select count(*) from {commands} where status = 'FAILURE' and failed_step is not null").fetchone()[0]
        check(failed > 0, f"failed executions name their failing step ({failed})")
        leaf = con.execute(f"select count(*) from (select unnest(steps) s from {commands}) where s.step_status = 'FAILURE' and s.step_path like '%50npm.sh'").fetchone()[0]
        check(leaf == 1, f"the failing legacy hook is one nested step ({leaf})")

    for table in ("records", "events", "commands", "http_requests"):
        scan = f"read_parquet('{root}/{table}/*/*.parquet', hive_partitioning = true)"
        if not sum(f["rows"] for f in manifest["tables"].get(table, [])):
            continue
        ttypes = dict(con.execute(f"select column_name, column_type from (describe select * from {scan})").fetchall())
        check(ttypes.get("date") == "DATE", f"{table}.date is {ttypes.get('date')}")
        check(ttypes.get("host") == "VARCHAR", f"{table}.host is {ttypes.get('host')}")
        nohost = con.execute(f"select count(*) from {scan} where host is null").fetchone()[0]
        check(nohost == 0, f"{table}: every row has a host ({nohost} do not)")
    undated = sum(f["rows"] for f in manifest["tables"]["records"] if "__HIVE_DEFAULT_PARTITION__" in f["path"])
    nulls = con.execute(f"select count(*) from {records} where date is null").fetchone()[0]
    check(nulls == undated, f"records without a date: {nulls}, the null partition holds {undated}")
    if commands_rows:
        joined = con.execute(f"select count(*) from {records} r join {commands} c using (host, date)").fetchone()[0]
        check(joined > 0, f"records join commands on host and date ({joined} rows)")

    polars_checks(root, manifest, check)
    spark_checks(root, manifest, check, joined if commands_rows else None)

    kinds = con.execute(f"select kind, count(*) from {records} group by kind order by 2 desc limit 5").fetchall()
    print("top kinds:", kinds)
    return 1 if failures else 0


def spark_checks(root, manifest, check, duckdb_joined) -> None:
    """pyspark in local mode: counts, types and the records-commands join."""
    try:
        from pyspark.sql import SparkSession
        from pyspark.sql import types as T
    except ImportError:
        print("skip pyspark: not installed")
        return
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("eblog-interop")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        frames = {}
        for table in ("records", "events", "commands", "http_requests"):
            rows = sum(f["rows"] for f in manifest["tables"].get(table, []))
            if not rows:
                continue
            df = spark.read.option("basePath", f"{root}/{table}").parquet(f"{root}/{table}")
            frames[table] = df
            n = df.count()
            check(n == rows, f"spark {table}: counts {n}, manifest files say {rows}")
            fields = {f.name: f.dataType for f in df.schema.fields}
            check(isinstance(fields.get("date"), T.DateType), f"spark {table}.date is {fields.get('date')}")
            check(isinstance(fields.get("host"), T.StringType), f"spark {table}.host is {fields.get('host')}")
            if "ts" in fields:
                check(isinstance(fields["ts"], T.TimestampType), f"spark {table}.ts is {fields['ts']}")
        if "records" in frames:
            undated = sum(f["rows"] for f in manifest["tables"]["records"] if "__HIVE_DEFAULT_PARTITION__" in f["path"])
            nulls = frames["records"].where("date is null").count()
            check(nulls == undated, f"spark: records in the null partition {nulls}, manifest {undated}")
        if "commands" in frames and duckdb_joined is not None:
            joined = frames["records"].join(frames["commands"], ["host", "date"]).count()
            check(joined == duckdb_joined, f"spark joins records and commands on host and date ({joined} rows, DuckDB {duckdb_joined})")
    finally:
        spark.stop()


def polars_checks(root, manifest, check) -> None:
    """polars: counts, the DATE partition and a join of records and commands."""
    try:
        import polars as pl
    except ImportError:
        print("skip polars: not installed")
        return
    scans = {}
    for table in ("records", "events", "commands", "http_requests"):
        rows = sum(f["rows"] for f in manifest["tables"].get(table, []))
        if not rows:
            continue
        lf = pl.scan_parquet(f"{root}/{table}/**/*.parquet", hive_partitioning=True)
        scans[table] = lf
        n = lf.select(pl.len()).collect().item()
        check(n == rows, f"polars {table}: counts {n}, manifest files say {rows}")
        schema = lf.collect_schema()
        check(schema.get("date") == pl.Date, f"polars {table}.date is {schema.get('date')}")
        check(schema.get("host") == pl.String, f"polars {table}.host is {schema.get('host')}")
        if "instance_id" in schema:
            check(schema["instance_id"] == pl.String, f"polars {table}.instance_id is {schema['instance_id']}")
    if "records" in scans and "commands" in scans:
        joined = (
            scans["records"].select("host", "date", "kind")
            .join(scans["commands"].select("host", "date", "command_kind"), on=["host", "date"])
            .select(pl.len()).collect().item()
        )
        check(joined > 0, f"polars joins records and commands on host and date ({joined} rows)")
        steps = scans["commands"].select("command", "status", "steps").explode("steps").unnest("steps").collect_schema()
        check("step_status" in steps and "status" in steps, "polars unnests steps beside the command's columns")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], "--fleet" in sys.argv[2:]))
