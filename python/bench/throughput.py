"""Throughput of the Python API and of the Spark reader against the CLI, on one fleet.

    python python/bench/throughput.py FLEET [--rounds 3] [--eblog target/release/eblog]

Runs, back to back in each round (so that the load of a shared machine hits all alike):
`eblog scan FLEET -j 2` (Parquet dataset), `eblog.read_table(FLEET, threads=2)`,
`eblog parse FLEET -j 2 > /dev/null` and `eblog.spark.read_records` in local[2] mode
written to Spark's `noop` sink (every record made, nothing stored). MB/s are of the
fleet's uncompressed bytes (the scan manifest's `bytes`); the Spark session is started
and warmed on samples/ before timing. Prints a Markdown table of the best round of each.
`--spark-conf KEY=VALUE` (repeatable) also times the Spark job with those session settings.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import eblog


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("fleet", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--eblog", default="target/release/eblog")
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument(
        "--spark-conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="also time the Spark job with these session settings (repeatable)",
    )
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="eblog-bench-"))
    fleet = str(args.fleet)

    def scan() -> None:
        subprocess.run([args.eblog, "scan", fleet, "--out", str(out / "ds"), "-j", "2", "-q"], check=True)

    def parse() -> None:
        with open("/dev/null", "wb") as null:
            subprocess.run([args.eblog, "parse", fleet, "-j", "2"], check=True, stdout=null)

    rows = {}

    def read_table() -> None:
        rows["read_table"] = eblog.read_table([fleet], threads=2).num_rows

    jobs = {"eblog scan -j 2": scan, "eblog.read_table(threads=2)": read_table, "eblog parse -j 2": parse}
    if not args.no_spark:
        import os

        from pyspark.sql import SparkSession

        os.environ["PYSPARK_PYTHON"] = sys.executable

        import eblog.spark

        spark = (
            SparkSession.builder.master("local[2]")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        eblog.spark.read_records(spark, ["samples"]).write.format("noop").mode("overwrite").save()

        def spark_job() -> None:
            eblog.spark.read_records(spark, [fleet]).write.format("noop").mode("overwrite").save()

        jobs["spark local[2] read_records → noop"] = spark_job
        if args.spark_conf:
            tuned = dict(kv.split("=", 1) for kv in args.spark_conf)

            def spark_tuned_job() -> None:
                before = {k: spark.conf.get(k, None) for k in tuned}
                for k, v in tuned.items():
                    spark.conf.set(k, v)
                try:
                    spark_job()
                finally:
                    for k, v in before.items():
                        if v is None:
                            spark.conf.unset(k)
                        else:
                            spark.conf.set(k, v)

            label = ", ".join(f"{k.removeprefix('spark.sql.')}={v}" for k, v in tuned.items())
            jobs[f"spark local[2] read_records → noop ({label})"] = spark_tuned_job
    scan()
    manifest = json.loads((out / "ds" / "manifest.json").read_text())
    size = manifest["scan"]["bytes"]
    times = {name: [] for name in jobs}
    for _ in range(args.rounds):
        for name, job in jobs.items():
            times[name].append(timed(job))
    assert rows["read_table"] == manifest["scan"]["records"], (rows, manifest["scan"]["records"])
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"fleet: {fleet}, {size:,} bytes, {manifest['scan']['records']:,} records, "
          f"{len(manifest['scan']['inputs']):,} inputs; load average after: {' '.join(load)}")
    print()
    print("| job | best s | MB/s | all rounds (s) |")
    print("|---|---|---|---|")
    for name, ts in times.items():
        best = min(ts)
        print(f"| {name} | {best:.2f} | {size / best / 1e6:.1f} | {', '.join(f'{t:.2f}' for t in ts)} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
