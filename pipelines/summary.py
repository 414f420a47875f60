"""Printing the demo summary."""
from __future__ import annotations

from pathlib import Path

from rich.console import Console

from pipelines import db
from pipelines.demo import EXAMPLE_INDICATOR, EXAMPLE_PROVINCE, DemoResult, example_figures, example_practices
from pipelines.output import table


def print_demo(r: DemoResult, db_path: Path) -> None:
    con_out = Console()
    c, l, t = r.crawl, r.load, r.totals
    skipped = ", ".join(f"{k} {v}" for k, v in sorted((c.get("skipped") or {}).items())) or "none"
    con_out.rule("xdd demo")
    con_out.print(f"crawl: fetched {c.get('fetched', 0)}, kept {c.get('kept', 0)}, "
                  f"near-duplicates {c.get('near_duplicates', 0)}, skipped: {skipped}")
    con_out.print(f"load: {l.get('new', 0)} new articles, {l.get('updated', 0)} updated, {l.get('unchanged', 0)} unchanged")
    if not l.get("new") and not l.get("updated"):
        con_out.print("nothing new: the knowledge base already holds every article of the demo site")
    con_out.print(f"knowledge base {db_path}: {t.get('articles')} articles (+{t.get('copies')} copies), "
                  f"{t.get('documents')} documents ({t.get('citations')} citations), {t.get('bodies')} bodies, "
                  f"{t.get('places')} places, {t.get('figures')} figures, {t.get('practices')} practices, "
                  f"{t.get('provinces')} provinces")
    con_out.print("skipped pages by reason: " + (", ".join(f"{k} {v}" for k, v in r.skips.items()) or "none"))
    changed = {k: (r.counts_before.get(k), v) for k, v in r.counts_after.items() if r.counts_before.get(k) != v}
    con_out.print("table counts unchanged" if not changed else
                  "table counts: " + ", ".join(f"{k} {a}→{b}" for k, (a, b) in changed.items()))
    table(r.by_province, ["province", "articles", "documents", "bodies", "places", "figures", "practices"],
          "per province")
    _examples(db_path)


def _examples(db_path: Path) -> None:
    with db.connect(db_path, read_only=True) as con:
        rows = example_practices(con)
        table(rows, ["category", "district", "text", "url"], f"Example 1: practices in {EXAMPLE_PROVINCE}")
        figures = example_figures(con)
    table(figures, ["province", "province_2025", "period", "value", "qualifier", "conflict", "sentence", "source"],
          f"Example 2: party members ({EXAMPLE_INDICATOR}) per province, latest province total")
