"""Analyst comparison of provinces' figures of one series (pipelines.series; by default the
province totals of counts), as polars tables. Only figures a row can show appear: with a value,
a period and a link to their article."""
from __future__ import annotations

import duckdb
import polars as pl

from pipelines import db, queries
from pipelines.errors import DatabaseError, UnknownIndicator
from pipelines.series import Series, indicator_key


def figures(con: duckdb.DuckDBPyConnection, indicator: str, unit: str | None = "count",
            scope: str | None = "province", series: Series | None = None) -> pl.DataFrame:
    """All figures of one series of an indicator with provenance, a conflict flag and which are
    the latest per province. `unit` and `scope` are shortcuts for the series of totals with those
    (None or 'all': any); `series` gives every choice."""
    series = series or Series(unit=unit, scope=scope)
    key = indicator_key(indicator)
    _require_index(con)
    df = _run(con, "compare_figures", {"key": key, "indicator": indicator, **series.params()})
    if df.is_empty() and key is None:
        raise UnknownIndicator(f"unknown indicator: {indicator!r} (see data/reference/indicators.csv)")
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


def latest_table(con: duckdb.DuckDBPyConnection, indicator: str, unit: str | None = "count",
                 scope: str | None = "province", series: Series | None = None) -> pl.DataFrame:
    """`latest(figures(...))` computed in DuckDB (fast on large knowledge bases)."""
    series = series or Series(unit=unit, scope=scope)
    key = indicator_key(indicator)
    if key is None:
        return latest(figures(con, indicator, series=series))
    _require_index(con)
    return _run(con, "compare_latest", {"key": key, **series.params()})


def years(con: duckdb.DuckDBPyConnection, indicator: str, series: Series | None = None) -> list[dict]:
    """The years a series has figures for, ascending, each with its number of provinces
    (``{"year": "2023", "provinces": 12}``); empty for an indicator without a key."""
    series = series or Series()
    key = indicator_key(indicator)
    if key is None:
        return []
    _require_index(con)
    params = {k: v for k, v in series.params().items() if k != "year"}
    return _run(con, "compare_years", {"key": key, **params}).to_dicts()


def _run(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> pl.DataFrame:
    try:
        return queries.run(con, name, params).pl()
    except duckdb.BinderException:      # a figure index built by an earlier version (other columns)
        raise DatabaseError("the figure index is of an older layout: run `xdd index`") from None


def _require_index(con: duckdb.DuckDBPyConnection) -> None:
    if not db.has_tables(con, "metric_facts", "metric_periods"):
        raise DatabaseError("this knowledge base has no figure index yet: run `xdd index` (or `xdd load`) to build it")


def latest(df: pl.DataFrame) -> pl.DataFrame:
    """One row per province: the latest period's value(s), its words and source link, and the
    history size."""
    if df.is_empty():
        return df
    hist = df.group_by("province").agg(pl.len().alias("n_values"),
                                       pl.col("period").unique().sort().str.join(", ").alias("periods"))
    extra = [pl.col(c).last() for c in ("measure", "scope", "sentence", "indicator") if c in df.columns]
    cur = df.filter(pl.col("latest")).group_by("province").agg(
        pl.col("province_2025").first(), pl.col("period").first(), pl.col("value").last(),
        pl.col("unit").first(), pl.col("qualifier").last(), pl.col("conflict").any(),
        pl.col("url").last().alias("source"), pl.col("text").last(), *extra)
    return cur.join(hist, on="province").sort("province")


def ratio(con: duckdb.DuckDBPyConnection, numerator: str, denominator: str,
          series: Series | None = None) -> pl.DataFrame:
    """Per province and period where both are known: numerator / denominator (e.g. đảng viên per
    chi bộ), both counts of the same measure and scope."""
    series = series or Series()
    counts = Series(measure=series.measure, scope=series.scope, unit="count", period=series.period,
                    targets=series.targets)
    a = latest_by_period(figures(con, numerator, series=counts))
    b = latest_by_period(figures(con, denominator, series=counts))
    if a.is_empty() or b.is_empty():
        return pl.DataFrame()
    j = a.join(b, on=["province", "period"], suffix="_den")
    return j.with_columns((pl.col("value") / pl.col("value_den")).round(2).alias("ratio")).select(
        "province", "period", "value", "value_den", "ratio", "text", "text_den", "url", "url_den").sort("province")


def latest_by_period(df: pl.DataFrame) -> pl.DataFrame:
    if df.is_empty():
        return df
    return df.group_by(["province", "period"]).agg(pl.col("value").last(), pl.col("text").last(),
                                                    pl.col("url").last())


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
