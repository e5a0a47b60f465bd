import os
from typing import Any, Iterable, Optional, Union

import pyarrow as pa

_Paths = Union[str, os.PathLike[str], Iterable[Union[str, os.PathLike[str]]]]

def read_records(
    spark: Any,
    paths: _Paths,
    *,
    format: Optional[str] = ...,
    redact: bool = ...,
    tz: str = ...,
) -> Any: ...
def read_commands(
    spark: Any,
    paths: _Paths,
    *,
    redact: bool = ...,
    tz: str = ...,
) -> Any: ...
def spark_schema(schema: pa.Schema) -> Any: ...
def records_spark_schema() -> Any: ...
