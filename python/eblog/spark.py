"""eblog on Spark: a fleet's logs parsed by every executor at once.

Spark lists the paths (local, ``s3a://``, ``hdfs://``, globs) with its ``binaryFile``
source and reads each file's bytes through its own file system layer; each task parses
its files with :func:`eblog.parse_bytes` inside ``mapInArrow``, so the records reach
Spark as Arrow batches. The result is an ordinary DataFrame, written with Spark's own
writers::

    from pyspark.sql import SparkSession
    import eblog.spark

    spark = SparkSession.builder.getOrCreate()
    records = eblog.spark.read_records(spark, ["s3a://my-bucket/eb-logs/"])
    records.write.partitionBy("date").parquet("s3a://my-bucket/eb-records/")

Every executor needs the ``eblog`` wheel installed (``--py-files`` cannot ship a native
module): ``pip install`` it in the image, or ship a virtual environment with
``spark.archives``.
"""

from __future__ import annotations

import os
import re
from typing import Iterable, Iterator, List, Optional, Union

import pyarrow as pa

__all__ = ["read_records", "read_commands", "spark_schema", "records_spark_schema"]

_GLOB = re.compile(r"[*?\[{]")


def _plain(t: pa.DataType, tz: str) -> pa.DataType:
    """``t`` as Spark's Arrow conversion has it: dictionaries decoded, time stamps in the
    session's time zone."""
    if pa.types.is_dictionary(t):
        return _plain(t.value_type, tz)
    if pa.types.is_timestamp(t):
        return pa.timestamp("us", tz=tz)
    if pa.types.is_list(t):
        return pa.list_(_plain_field(t.value_field, tz))
    if pa.types.is_struct(t):
        return pa.struct([_plain_field(t.field(i), tz) for i in range(t.num_fields)])
    return t


def _plain_field(f: pa.Field, tz: str) -> pa.Field:
    return pa.field(f.name, _plain(f.type, tz), f.nullable)


def _plain_schema(schema: pa.Schema, tz: str) -> pa.Schema:
    return pa.schema([_plain_field(f, tz) for f in schema])


def _spark_type(t: pa.DataType):
    from pyspark.sql import types as T

    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return T.StringType()
    if pa.types.is_int64(t):
        return T.LongType()
    if pa.types.is_int32(t):
        return T.IntegerType()
    if pa.types.is_timestamp(t):
        return T.TimestampType()
    if pa.types.is_list(t):
        return T.ArrayType(_spark_type(t.value_type), t.value_field.nullable)
    if pa.types.is_struct(t):
        return T.StructType(
            [
                T.StructField(t.field(i).name, _spark_type(t.field(i).type), t.field(i).nullable)
                for i in range(t.num_fields)
            ]
        )
    raise TypeError(f"no Spark type for {t}")


def spark_schema(schema: pa.Schema):
    """The Spark ``StructType`` of an eblog Arrow schema (dictionaries as strings, time
    stamps as ``TimestampType``)."""
    from pyspark.sql import types as T

    plain = _plain_schema(schema, "UTC")
    return T.StructType(
        [T.StructField(f.name, _spark_type(f.type), f.nullable) for f in plain]
    )


def records_spark_schema():
    """The Spark schema of :func:`read_records`: :func:`eblog.schema` as Spark types."""
    import eblog

    return spark_schema(eblog.schema())


def _qualified(spark, path: str) -> str:
    """``path`` as Spark names the files it lists (``file:/abs/path`` for a local path)."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    p = jvm.org.apache.hadoop.fs.Path(path)
    return p.getFileSystem(conf).makeQualified(p).toString()


def _binary_files(spark, paths: List[str]):
    return (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(paths)
    )


def _as_list(paths: Union[str, "os.PathLike[str]", Iterable]) -> List[str]:
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def _session_tz(spark) -> str:
    return spark.conf.get("spark.sql.session.timeZone") or "UTC"


def read_records(
    spark,
    paths: Union[str, "os.PathLike[str]", Iterable],
    *,
    format: Optional[str] = None,
    redact: bool = True,
    tz: str = "UTC",
):
    """The records of ``paths`` as a Spark DataFrame, parsed in parallel by the executors.

    Args:
        spark: the ``SparkSession``.
        paths: a path or a list of paths Spark can list: files, directories (walked
            recursively), globs, on any file system Spark is configured for (local,
            ``s3a://``, ``hdfs://``). ``.gz`` and ``.zip`` files are opened by content.
        format, redact, tz: as for :func:`eblog.read`.

    Returns:
        a DataFrame with the columns and order of :func:`eblog.schema` (dictionary
        columns as strings, ``ts`` as ``TimestampType``). ``source`` is the path as Spark
        names it (``s3a://bucket/key``, ``file:/abs/path``).

    A file named in ``paths`` is always parsed (as ``unparsed`` records if its format is
    unknown); a file found in a directory or by a glob is skipped when its format is
    unknown, as the CLI does. Spark does not list files whose names start with ``_`` or
    ``.`` inside a directory; name such files (or a glob matching them) in ``paths``.
    """
    import eblog

    paths = _as_list(paths)
    explicit = {_qualified(spark, p) for p in paths if not _GLOB.search(p)}
    session_tz = _session_tz(spark)
    target = _plain_schema(eblog.schema(), session_tz)
    files = _binary_files(spark, paths)

    def parse(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import eblog

        for batch in batches:
            names = batch.column("path").to_pylist()
            written = batch.column("modificationTime").to_pylist()
            contents = batch.column("content")
            for i, name in enumerate(names):
                table = eblog.parse_bytes(
                    contents[i].as_py(),
                    name=name,
                    format=format,
                    redact=redact,
                    tz=tz,
                    written=written[i],
                    explicit=name in explicit,
                )
                yield from table.cast(target).to_batches()

    return files.mapInArrow(parse, spark_schema(eblog.schema()))


def read_commands(
    spark,
    paths: Union[str, "os.PathLike[str]", Iterable],
    *,
    redact: bool = True,
    tz: str = "UTC",
):
    """The command executions of ``paths`` as a Spark DataFrame (:func:`eblog.commands`).

    The files are grouped by host (:func:`eblog.host_of`: the directory or bundle they came
    from), and each host's files are correlated together in one task, in path order.

    Args:
        spark: the ``SparkSession``.
        paths: as for :func:`read_records`.
        redact, tz: as for :func:`eblog.commands`.
    """
    import eblog
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    paths = _as_list(paths)
    target = _plain_schema(eblog.commands_schema(), _session_tz(spark))
    host = F.udf(lambda p: __import__("eblog").host_of(p), StringType())
    files = _binary_files(spark, paths).select(
        host("path").alias("_host"), "path", "content"
    )

    def correlate(group: pa.Table) -> pa.Table:
        import eblog

        group = group.sort_by("path")
        pairs = list(
            zip(group.column("path").to_pylist(), group.column("content").to_pylist())
        )
        return eblog.commands_bytes(pairs, redact=redact, tz=tz).cast(target)

    return files.groupBy("_host").applyInArrow(
        correlate, spark_schema(eblog.commands_schema())
    )
