"""Typed records of AWS Elastic Beanstalk on-instance logs, as Arrow tables.

eblog parses the logs Elastic Beanstalk's agents write on an instance (cfn-hup, cfn-init,
the legacy command processor and eb-activity.log, the Amazon Linux 2 platform engine and
hooks, healthd, nginx, web.stdout.log, ...) into one row per record, with the schema and
types of the ``records`` table ``eblog scan`` writes. Parsing is done by the eblog Rust
library (the same code as the CLI), off the GIL, and the batches reach pyarrow through the
Arrow C stream interface: nothing is copied or re-encoded on the way.

Functions:

- :func:`read` / :func:`read_table`: the records of files, directories, ``.gz`` files and
  ``.zip`` bundles, streamed or as one table.
- :func:`parse_bytes`: the records of one file already in memory (a Spark task's, a
  Lambda's).
- :func:`commands` / :func:`commands_bytes`: command executions (``eblog commands``, the
  dataset's ``commands`` table).
- :func:`schema` / :func:`commands_schema`: the tables' Arrow schemas.
- :mod:`eblog.spark`: the same on a Spark cluster.
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Iterable, Optional, Sequence, Tuple, Union

import pyarrow as pa

from . import _eblog

__all__ = [
    "read",
    "read_table",
    "parse_bytes",
    "commands",
    "commands_bytes",
    "schema",
    "commands_schema",
    "host_of",
    "__version__",
]

__version__: str = _eblog.version()

PathLike = Union[str, "os.PathLike[str]"]

_INPUTS_DOC = """\
    Inputs: a path may be a log file, a directory (walked recursively in file-name order),
    a ``.gz`` file (rotated ``cfn-hup.log.1.gz``, S3-published
    ``_var_log_eb-engine.log-1600000000.gz``) or a ``.zip`` bundle (``var/log/...``
    inside; ``source`` is then ``bundle.zip!/var/log/eb-engine.log``). Compression is
    recognised by content. In a directory or an archive, files of no known format
    (``messages``, ``cron``, ``yum.log``, ...) are skipped; a file named in ``paths`` is
    always parsed, as ``unparsed`` records if need be. ``eb logs`` tail bundles, CloudWatch
    downloads and ``[eb-cfn-init]:`` console output are unwrapped, each section parsed as
    the log its path names. Bytes that parse as nothing become ``unparsed`` records, so
    every byte is in exactly one record, exactly as with ``eblog parse``."""

_OPTIONS_DOC = """\
        format: force this format instead of detecting it (``eblog --format``): one of
            ``cfn-hup``, ``cfn-init``, ``cfn-init-cmd``, ``cfn-wire``, ``cmd-processor``,
            ``activity``, ``engine``, ``hooks``, ``eb-cfn-init``, ``healthd``,
            ``healthd-daemon``, ``nginx-access``, ``nginx-error``, ``web-stdout``,
            ``eb-tools``, ``eb-docker-process``, ``app-log``.
        redact: redact secrets (keys, passwords, tokens, credentials) in every text column,
            as the CLI does unless ``--no-redact``; ``False`` keeps them.
        tz: time zone of the cfn-* logs' local-time stamps (``--tz``): ``UTC`` (the
            default, what EB instances use), ``+HH:MM``, or an IANA name
            (``Europe/Berlin``). The Ruby logs are UTC already."""


def _paths(paths: Union[PathLike, Iterable[PathLike]]) -> list:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out = [os.fspath(p) for p in paths]
    for p in out:
        if not os.path.exists(p):
            raise FileNotFoundError(2, "No such file or directory", p)
    return out


def _reader(stream: object) -> pa.RecordBatchReader:
    return pa.RecordBatchReader.from_stream(stream)


def read(
    paths: Union[PathLike, Iterable[PathLike]],
    *,
    format: Optional[str] = None,
    redact: bool = True,
    tz: str = "UTC",
    threads: int = 0,
) -> pa.RecordBatchReader:
    return _reader(
        _eblog.read_stream(_paths(paths), format=format, redact=redact, tz=tz, threads=threads)
    )


read.__doc__ = f"""The records of ``paths`` as a stream of Arrow batches.

    Parsed by the eblog scanner (the code of ``eblog scan``) on ``threads`` worker threads
    (0: one per core) while the caller reads: memory holds the batches in flight, not the
    input. The schema is :func:`schema`, the ``records`` table of ``eblog scan``'s
    dataset; rows come in input order, as ``eblog parse`` prints them.

{_INPUTS_DOC}

    Args:
        paths: a path or a list of paths.
{_OPTIONS_DOC}
        threads: worker threads, 0 for one per core (``-j``).

    Returns:
        a ``pyarrow.RecordBatchReader``.

    Raises:
        FileNotFoundError: a path does not exist (before anything is read).
        OSError: when the stream ends, if an input could not be read (a corrupt ``.zip``,
            a ``.gz`` cut short: what was read of it is in the stream); the message names
            each such file and where it stopped.
        ValueError: an unknown ``format`` or a bad ``tz``.
    """


def read_table(
    paths: Union[PathLike, Iterable[PathLike]],
    *,
    format: Optional[str] = None,
    redact: bool = True,
    tz: str = "UTC",
    threads: int = 0,
) -> pa.Table:
    return read(paths, format=format, redact=redact, tz=tz, threads=threads).read_all()


read_table.__doc__ = f"""The records of ``paths`` as one ``pyarrow.Table``.

    The same as ``read(paths, ...).read_all()``: see :func:`read`. Converts as it is with
    ``polars.from_arrow(table)``, ``table.to_pandas()``, or DuckDB
    (``duckdb.sql("select kind, count(*) from table group by kind")``).

{_INPUTS_DOC}

    Args:
        paths: a path or a list of paths.
{_OPTIONS_DOC}
        threads: worker threads, 0 for one per core (``-j``).
    """


def _year_month(written: object) -> Optional[Tuple[int, int]]:
    if written is None:
        return None
    if isinstance(written, (_dt.datetime, _dt.date)):
        return (written.year, written.month)
    year, month = written  # type: ignore[misc]
    return (int(year), int(month))


def parse_bytes(
    data: Union[bytes, bytearray, memoryview],
    *,
    name: str,
    format: Optional[str] = None,
    redact: bool = True,
    tz: str = "UTC",
    written: Union[None, _dt.date, _dt.datetime, Tuple[int, int]] = None,
    explicit: bool = True,
) -> pa.Table:
    if not isinstance(data, bytes):
        data = bytes(data)
    stream = _eblog.parse_bytes_stream(
        data,
        name=os.fspath(name),
        format=format,
        redact=redact,
        tz=tz,
        written=_year_month(written),
        explicit=explicit,
    )
    return _reader(stream).read_all()


parse_bytes.__doc__ = f"""The records of one file's bytes, already in memory, as a ``pyarrow.Table``.

    What a Spark task, a Lambda or a notebook that fetched an object from S3 holds: the
    bytes are opened (``.gz`` and ``.zip`` by content), unwrapped and parsed exactly as
    ``eblog parse`` parses the same file on disk, with the GIL released.

    Args:
        data: the file's bytes.
        name: the name records carry in ``source``; its file name also tells the format
            (``var/log/eb-engine.log``, ``cfn-hup.log.1.gz``).
{_OPTIONS_DOC}
        written: when the file was last written (a ``datetime``, a ``date`` or ``(year,
            month)``), for web.stdout.log stamps without a year; default: now, as the CLI
            does for stdin.
        explicit: ``True`` (the default) parses a file of unknown format as ``unparsed``
            records, as for a file named on the command line; ``False`` skips it (no rows),
            as for a file found in a directory. A ``.zip``'s members are always treated as
            found.

    Raises:
        OSError: the bytes are a corrupt archive or a ``.gz`` cut short; the message
            names the file (and the member) and how far it was read.
        ValueError: an unknown ``format`` or a bad ``tz``.
    """


def commands(
    paths: Union[PathLike, Iterable[PathLike]],
    *,
    redact: bool = True,
    tz: str = "UTC",
    threads: int = 0,
) -> pa.Table:
    """The command executions in ``paths`` as a ``pyarrow.Table``.

    One row per execution, correlated host by host (a host is the directory or bundle its
    files came from) as ``eblog commands`` and the ``commands`` table of ``eblog scan``
    do: ``host``, ``instance_id``, ``platform``, ``command``, ``id``, ``started``,
    ``finished``, ``duration_ms``, ``status``, ``returncode``, ``failed_step``,
    ``error``, ``event_count``, ``steps`` (the step tree flattened in order, a list of
    structs), ``sources`` and ``date``. See :func:`commands_schema`.

    Args:
        paths: a path or a list of paths (as :func:`read`).
        redact: redact secrets, as the CLI does unless ``--no-redact``.
        tz: time zone of the cfn-* logs' local-time stamps (see :func:`read`).
        threads: worker threads for parsing, 0 for one per core.

    Raises:
        FileNotFoundError: a path does not exist.
        OSError: an input could not be read; the message names it.
    """
    stream = _eblog.commands_stream(_paths(paths), redact=redact, tz=tz, threads=threads)
    return _reader(stream).read_all()


def commands_bytes(
    files: Sequence[Tuple[str, Union[bytes, bytearray, memoryview]]],
    *,
    redact: bool = True,
    tz: str = "UTC",
) -> pa.Table:
    """The command executions of files already in memory, as :func:`commands` gives them.

    Args:
        files: ``(name, data)`` pairs, the files of one host (or of several hosts, each
            host's files one after the other); ``name`` tells the host (its directory)
            and the format, as a path would.
        redact: redact secrets, as the CLI does unless ``--no-redact``.
        tz: time zone of the cfn-* logs' local-time stamps (see :func:`read`).
    """
    pairs = [(os.fspath(n), d if isinstance(d, bytes) else bytes(d)) for n, d in files]
    return _reader(_eblog.commands_bytes_stream(pairs, redact=redact, tz=tz)).read_all()


def schema() -> pa.Schema:
    """The Arrow schema of the records (the ``records`` table of ``eblog scan``).

    ``source`` (string), ``line``, ``end_line``, ``offset``, ``bytes`` (int64),
    ``format`` (string), ``ts`` (timestamp[us, UTC]), ``level`` (string), ``pid``
    (int32), ``activity``, ``kind`` (string), the common kind fields ``command``,
    ``action``, ``step``, ``status``, ``exit_code`` (int64), ``error``, ``request_id``,
    ``invocation_id``, then ``fields`` (the JSON of all the kind's fields), ``message``,
    ``instance_id``, ``environment_id``, ``severity`` (one vocabulary over the formats'
    levels), ``host`` (the instance directory or bundle the file came from) and ``date``
    (``YYYY-MM-DD`` of ``ts``, the dataset's partition key).
    """
    return _reader(_eblog.records_schema_stream()).schema


def commands_schema() -> pa.Schema:
    """The Arrow schema of :func:`commands` (the ``commands`` table of ``eblog scan``)."""
    return _reader(_eblog.commands_schema_stream()).schema


def host_of(source: str) -> str:
    """The host a file belongs to, as :func:`commands` groups files.

    The part of ``source`` before a bundle's ``!`` (and the directory inside it), else its
    directory, with ``nginx/``, ``httpd/``, ``healthd/`` and the application logs'
    folders (``tomcat``, ``nodejs``, ``containers``, ...) folded into their parent: one
    instance's ``/var/log`` is one host.
    """
    return _eblog.host_of(os.fspath(source))
from . import spark  # noqa: E402,F401  (imports pyspark only when called)
