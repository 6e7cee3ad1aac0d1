"""Where the table work runs: DuckDB in process by default, PySpark (local or a cluster) at scale.

The indicators are written once as Ibis expressions; `connect` returns the backend that
executes them. Spark sessions are created once per process and reused.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import TYPE_CHECKING, Any, Literal

import pyarrow as pa

from poles.observatory.errors import OptionError
from poles.observatory.i18n import N_, _

if TYPE_CHECKING:
    import ibis
    import pandas as pd
    from ibis.backends import BaseBackend

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")

_SPARK_SESSION: Any = None

#: The one line printed when `--engine spark` is asked for without PySpark (a msgid).
SPARK_MISSING = N_(
    "--engine spark needs PySpark, an optional extra: install it with "
    "`.venv/bin/pip install -e '.[spark]'` (and a Java 17+ runtime)"
)


def require_spark() -> None:
    """Fail with the one-line install hint when PySpark is not importable."""
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        raise OptionError(_(SPARK_MISSING))


def spark_session(*, master: str | None = None, shuffle_partitions: int = 4) -> Any:
    """A local SparkSession (UI off, few shuffle partitions, ANSI mode on), created once."""
    global _SPARK_SESSION
    if _SPARK_SESSION is not None:
        return _SPARK_SESSION
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise OptionError(_(SPARK_MISSING)) from None
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # local mode listens on loopback only
    master = master or os.environ.get("POLES_SPARK_MASTER", "local[2]")
    builder = (
        SparkSession.builder.master(master)
        .appName("poles-observatory")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", os.environ.get("POLES_SPARK_DRIVER_MEMORY", "4g"))
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    _SPARK_SESSION = session
    return session


def connect(engine: Engine = "duckdb", *, spark: Any = None) -> BaseBackend:
    """An Ibis backend for `engine`: an in-memory DuckDB, or PySpark on `spark` (or a local one)."""
    import ibis

    if engine == "duckdb":
        return ibis.duckdb.connect()
    if engine == "spark":
        warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark.*")
        return ibis.pyspark.connect(spark if spark is not None else spark_session())
    raise OptionError(
        _("engine must be one of {choices}; found {value!r}").format(
            choices=", ".join(ENGINES), value=engine
        )
    )


def table(data: pa.Table | pd.DataFrame) -> ibis.Table:
    """An Ibis table over in-memory data, runnable on any backend."""
    import ibis

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ibis.memtable(data)


def execute(con: BaseBackend, expr: ibis.Table) -> pd.DataFrame:
    """Run `expr` on `con` and return a pandas frame with a fresh index."""
    import pandas as pd

    with warnings.catch_warnings():
        # pandas 3 deprecation notes raised inside Ibis and PySpark, not about our code
        warnings.simplefilter("ignore")
        frame = con.execute(expr)
    if not isinstance(frame, pd.DataFrame):  # pragma: no cover - defensive
        raise TypeError("expected a table result")
    return frame.reset_index(drop=True)


def execute_arrow(con: BaseBackend, expr: ibis.Table) -> pa.Table:
    """Run `expr` on `con` and return an Arrow table (no pandas step on DuckDB)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = con.to_pyarrow(expr)
    if not isinstance(out, pa.Table):  # pragma: no cover - defensive
        raise TypeError("expected a table result")
    return out
