"""Analyst comparison of provinces' figures for one indicator (polars tables)."""
from __future__ import annotations

import duckdb
import polars as pl

from pipelines import db, queries
from pipelines.facts import is_province_scope
from pipelines.errors import DatabaseError, UnknownIndicator


def indicator_key(indicator: str) -> str | None:
    """The indicator's key in data/reference/indicators.csv (synonyms and acronyms map to one)."""
    from nlp import metrics

    return metrics.indicator_key(indicator)


def figures(con: duckdb.DuckDBPyConnection, indicator: str, unit: str | None = None,
            scope: str = "province") -> pl.DataFrame:
    """All figures of an indicator with provenance, a conflict flag and the latest per province."""
    key = indicator_key(indicator)
    _require_index(con)
    cur = queries.run(con, "metrics_for_indicator", {"key": key, "indicator": indicator, "unit": unit})
    df = cur.pl()
    if df.is_empty() and key is None:
        raise UnknownIndicator(f"unknown indicator: {indicator!r} (see data/reference/indicators.csv)")
    pairs = df.select("subject", "province").unique()
    pairs = pairs.with_columns(pl.Series("province_scope", [is_province_scope(s, p) for s, p in pairs.iter_rows()],
                                         dtype=pl.Boolean))
    df = df.join(pairs, on=["subject", "province"], how="left", nulls_equal=True)
    if scope == "province":
        df = df.filter(pl.col("province_scope"))
    return _flag(df)


def _flag(df: pl.DataFrame) -> pl.DataFrame:
    if df.is_empty():
        return df.with_columns(pl.lit(False).alias("conflict"), pl.lit(False).alias("latest"))
    group = ["province", "period", "unit"]
    df = df.with_columns(
        (pl.col("value").n_unique().over(group) > 1).alias("conflict"),
        pl.col("published").fill_null("").alias("_pub"),
    )
    df = df.sort(["province", "period", "_pub"], nulls_last=False)
    last = df.group_by("province").agg(pl.col("period").max().alias("_maxp"))
    df = df.join(last, on="province").with_columns((pl.col("period") == pl.col("_maxp")).alias("latest"))
    return df.drop("_pub", "_maxp")


def latest_table(con: duckdb.DuckDBPyConnection, indicator: str, unit: str | None = None,
                 scope: str = "province") -> pl.DataFrame:
    """`latest(figures(...))` computed in DuckDB (fast on large knowledge bases)."""
    key = indicator_key(indicator)
    if key is None:
        return latest(figures(con, indicator, unit=unit, scope=scope))
    _require_index(con)
    params = {"key": key, "unit": unit, "all_scopes": scope != "province"}
    return queries.run(con, "compare_latest", params).pl()


def _require_index(con: duckdb.DuckDBPyConnection) -> None:
    if not db.has_tables(con, "metric_facts", "metric_periods"):
        raise DatabaseError("this knowledge base has no figure index yet: run `xdd index` (or `xdd load`) to build it")


def latest(df: pl.DataFrame) -> pl.DataFrame:
    """One row per province: the latest period's value(s), its source link, and the history size."""
    if df.is_empty():
        return df
    hist = df.group_by("province").agg(pl.len().alias("n_values"),
                                       pl.col("period").unique().sort().str.join(", ").alias("periods"))
    cur = df.filter(pl.col("latest")).group_by("province").agg(
        pl.col("province_2025").first(), pl.col("period").first(), pl.col("value").last(),
        pl.col("unit").first(), pl.col("qualifier").last(), pl.col("conflict").any(),
        pl.col("url").last().alias("source"), pl.col("text").last())
    return cur.join(hist, on="province").sort("province")


def ratio(con: duckdb.DuckDBPyConnection, numerator: str, denominator: str) -> pl.DataFrame:
    """Per province and period where both are known: numerator / denominator (e.g. đảng viên per chi bộ)."""
    a = latest_by_period(figures(con, numerator, unit="count"))
    b = latest_by_period(figures(con, denominator, unit="count"))
    if a.is_empty() or b.is_empty():
        return pl.DataFrame()
    j = a.join(b, on=["province", "period"], suffix="_den")
    return j.with_columns((pl.col("value") / pl.col("value_den")).round(2).alias("ratio")).select(
        "province", "period", "value", "value_den", "ratio", "url", "url_den").sort("province")


def latest_by_period(df: pl.DataFrame) -> pl.DataFrame:
    if df.is_empty():
        return df
    return df.group_by(["province", "period"]).agg(pl.col("value").last(), pl.col("url").last())


def chart(df: pl.DataFrame, path: str, title: str) -> None:
    """Bar chart of the latest value per province."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = df.sort("value")
    fig, ax = plt.subplots(figsize=(8, max(3, 0.35 * rows.height + 1)))
    ax.barh(rows["province"].to_list(), rows["value"].to_list(), color="#b22222")
    ax.set_title(title)
    ax.set_xlabel("value (latest period)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
