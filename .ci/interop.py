"""Interop check: DuckDB reads an eblog dataset as it is.

Usage: python .ci/interop.py DATASET_DIR

Checks that DuckDB reads records/ and events/ with hive_partitioning, that its row
counts equal the manifest's, that `ts` arrives as a TIMESTAMP (with time zone), that
the `date` partition column comes from the directory names, and that dictionary-encoded
columns read as plain strings.
"""

import json
import pathlib
import sys

import duckdb


def main(dataset: str) -> int:
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
        failed = con.execute(f"select count(*) from {commands} where status = 'FAILURE' and failed_step is not null").fetchone()[0]
        check(failed > 0, f"failed executions name their failing step ({failed})")
        leaf = con.execute(f"select count(*) from (select unnest(steps) s from {commands}) where s.step_status = 'FAILURE' and s.step_path like '%50npm.sh'").fetchone()[0]
        check(leaf == 1, f"the failing legacy hook is one nested step ({leaf})")

    kinds = con.execute(f"select kind, count(*) from {records} group by kind order by 2 desc limit 5").fetchall()
    print("top kinds:", kinds)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
