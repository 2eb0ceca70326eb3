"""The Spark engine in local mode: the same settings give the same pairs as DuckDB.

The JVM is started once for this module (about 10-20 s of the test's time). Skipped only
when Java is missing, and in the PostgreSQL pass (``WHEREABOUTS_REQUIRE_POSTGRES=1``): the
engine never touches our database, so the SQLite pass is enough (docs/linkage.md).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from whereabouts.linkage import engine

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(shutil.which("java") is None and not os.environ.get("JAVA_HOME"),
                       reason="Spark needs Java (17) on the PATH or JAVA_HOME"),
    pytest.mark.skipif(os.environ.get("WHEREABOUTS_REQUIRE_POSTGRES") == "1",
                       reason="the Spark engine does not use the database: SQLite pass only"),
]


def sides() -> tuple[Any, Any]:
    register, partner = engine.Side("r"), engine.Side("p")
    people = [("ROBERT", "SMITH", dt.date(1980, 5, 1), "QQ123456A", "DY1 1AA"),
              ("KAREN", "PRICE", dt.date(1975, 3, 14), "", "WV1 1AA"),
              ("DEAN", "WALSH", dt.date(1969, 11, 23), "QQ654321B", "WS1 2AB"),
              ("PAUL", "TURNER", dt.date(1990, 7, 2), "", "B1 1AA"),
              ("MARK", "HILL", dt.date(1961, 2, 28), "", "B2 2AA")]
    for i, (fore, sur, dob, ni, pc) in enumerate(people):
        register.add(i, 0, forename=fore, surname=sur, dob=dob, ni=ni, postcode=pc,
                     postcodes=[pc], address=f"{i} HIGH STREET")
    register.add(1, 1, forename="KAREN", surname="HOLLIS", dob=dt.date(1975, 3, 14), ni="",
                 postcode="WV1 1AA", postcodes=["WV1 1AA"], address="1 HIGH STREET")
    rows = [("BOB", "SMYTH", dt.date(1980, 1, 5), "QQ123456A", "WS2 8AA"),
            ("KAREN", "HOLLIS", dt.date(1975, 3, 14), "", "B12 9AA"),
            ("DEAN", "WALSH", dt.date(1969, 11, 23), "QQ654321B", "WS1 2AB"),
            ("GARY", "MOORE", dt.date(1983, 9, 9), "", "B3 3AA"),
            ("LEE", "KING", dt.date(1971, 4, 4), "", "B4 4AA")]
    for i, (fore, sur, dob, ni, pc) in enumerate(rows):
        partner.add(i, 0, forename=fore, surname=sur, dob=dob, ni=ni, postcode=pc,
                    postcodes=[pc], address="")
    return register, partner


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = engine.spark_session(cores=1, memory="1g", partitions=1)
    yield session
    session.stop()


def pairs(result: engine.Result) -> dict[tuple[str, str], float]:
    return {(p["unique_id_l"], p["unique_id_r"]): round(p["match_weight"], 6)
            for p in result.pairs}


def test_spark_in_local_mode_scores_the_same_pairs_as_duckdb(spark: Any) -> None:
    register, partner = sides()
    on_duckdb = engine.run(register.table(), partner.table(), engine="duckdb")
    on_spark = engine.run(register.table(), partner.table(), engine="spark", spark=spark)
    assert pairs(on_spark) == pairs(on_duckdb)
    assert {(a.split(":")[1], b.split(":")[1]) for a, b in pairs(on_spark)} == {
        ("0", "0"), ("1", "1"), ("2", "2")}
    assert on_spark.settings["sql_dialect"] == "spark"
    assert (on_spark.settings["probability_two_random_records_match"]
            == on_duckdb.settings["probability_two_random_records_match"])
