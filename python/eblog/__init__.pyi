import datetime
import os
from typing import Iterable, Optional, Sequence, Tuple, Union

import pyarrow as pa

from . import spark as spark

__version__: str

_Paths = Union[str, os.PathLike[str], Iterable[Union[str, os.PathLike[str]]]]
_Bytes = Union[bytes, bytearray, memoryview]

def read(
    paths: _Paths,
    *,
    format: Optional[str] = ...,
    redact: bool = ...,
    tz: str = ...,
    threads: int = ...,
) -> pa.RecordBatchReader: ...
def read_table(
    paths: _Paths,
    *,
    format: Optional[str] = ...,
    redact: bool = ...,
    tz: str = ...,
    threads: int = ...,
) -> pa.Table: ...
def parse_bytes(
    data: _Bytes,
    *,
    name: str,
    format: Optional[str] = ...,
    redact: bool = ...,
    tz: str = ...,
    written: Union[None, datetime.date, datetime.datetime, Tuple[int, int]] = ...,
    explicit: bool = ...,
) -> pa.Table: ...
def commands(
    paths: _Paths,
    *,
    redact: bool = ...,
    tz: str = ...,
    threads: int = ...,
) -> pa.Table: ...
def commands_bytes(
    files: Sequence[Tuple[str, _Bytes]],
    *,
    redact: bool = ...,
    tz: str = ...,
) -> pa.Table: ...
def schema() -> pa.Schema: ...
def commands_schema() -> pa.Schema: ...
def host_of(source: str) -> str: ...
