"""Drift alarms: how often each source's selectors still match, and when fallbacks take over.

Every parsed article says which layer produced each field (`extracted_by`); per source and crawl
the stats count them (`xdd/source/<name>/layer/<field>/<layer>`), with the body's length and its
boilerplate share. `health_of` turns those counts into hit rates and warnings: a configured
selector matching on fewer than 80% of pages, a body length or boilerplate share that jumped
against the previous crawl of the same output (`<output>.health.json`).
"""
from __future__ import annotations

import json
from pathlib import Path

WARN_RATE = 0.8
WATCHED = ("title", "date", "body", "lead")          # warned about when their selectors stop matching
BOILERPLATE_WARN = 0.4                               # a mean share above this: the body container is too wide
BODY_DROP = 0.5                                      # mean body length below half of the last crawl's


class Health:
    """Counts layers per source into Scrapy stats (one `observe` per kept or parsed article)."""

    def __init__(self, stats):
        self.stats = stats

    def observe(self, source: str, record: dict) -> None:
        base = f"xdd/source/{source}/health"
        self.stats.inc_value(f"{base}/pages")
        for field, layer in (record.get("extracted_by") or {}).items():
            self.stats.inc_value(f"{base}/layer/{field}/{layer}")
        self.stats.inc_value(f"{base}/body_chars", len(record.get("text") or ""))
        self.stats.inc_value(f"{base}/boilerplate_milli", int(1000 * (record.get("boilerplate_share") or 0)))


def health_of(stats: dict, configured: dict) -> dict[str, dict]:
    """{source: {pages, fields: {field: {layer: n}}, hit_rate: {field: r}, body_chars_mean, boilerplate_share}}.

    `configured`: source name → the fields its config has selectors for (hit rates only for those).
    """
    out: dict[str, dict] = {}
    for key, value in stats.items():
        if not key.startswith("xdd/source/") or "/health/" not in key:
            continue
        name, _, rest = key[len("xdd/source/"):].partition("/health/")
        h = out.setdefault(name, {"pages": 0, "layers": {}, "hit_rate": {}, "body_chars_mean": 0,
                                  "boilerplate_share": 0.0, "_chars": 0, "_bp": 0})
        if rest == "pages":
            h["pages"] = int(value)
        elif rest == "body_chars":
            h["_chars"] = int(value)
        elif rest == "boilerplate_milli":
            h["_bp"] = int(value)
        elif rest.startswith("layer/"):
            field, _, layer = rest[len("layer/"):].partition("/")
            h["layers"].setdefault(field, {})[layer] = int(value)
    for name, h in out.items():
        n = max(h["pages"], 1)
        h["body_chars_mean"] = round(h.pop("_chars") / n)
        h["boilerplate_share"] = round(h.pop("_bp") / 1000 / n, 3)
        for field in configured.get(name, ()):
            layers = h["layers"].get(field, {})
            h["hit_rate"][field] = round(layers.get("source", 0) / n, 3)
        h["fallback_rate"] = {f: round(sum(v for k, v in layers.items() if k not in ("source", "none")) / n, 3)
                              for f, layers in h["layers"].items()}
    return out


def warnings_of(health: dict[str, dict], previous: dict[str, dict] | None = None) -> list[str]:
    """One line per alarm (selector hit rate < 80%, boilerplate share high, body length or
    boilerplate share jumped against the previous crawl)."""
    out: list[str] = []
    for name, h in sorted(health.items()):
        for field, rate in sorted(h["hit_rate"].items()):
            if field in WATCHED and rate < WARN_RATE:
                used = ", ".join(f"{k} {v}" for k, v in sorted(h["layers"].get(field, {}).items()) if k != "source")
                out.append(f"{name}: {field} selectors matched {rate:.0%} of {h['pages']} pages "
                           f"(below {WARN_RATE:.0%}; fallbacks: {used or 'none'})")
        if h["boilerplate_share"] > BOILERPLATE_WARN:
            out.append(f"{name}: {h['boilerplate_share']:.0%} of the body container was boilerplate")
        prev = (previous or {}).get(name)
        if prev and prev.get("pages") and h["pages"]:
            if prev.get("body_chars_mean") and h["body_chars_mean"] < BODY_DROP * prev["body_chars_mean"]:
                out.append(f"{name}: mean body length fell from {prev['body_chars_mean']} to {h['body_chars_mean']} characters")
            if h["boilerplate_share"] - prev.get("boilerplate_share", 0) > 0.2:
                out.append(f"{name}: boilerplate share jumped from {prev.get('boilerplate_share', 0):.0%} "
                           f"to {h['boilerplate_share']:.0%}")
    return out


def health_path(output: str | Path) -> Path:
    """Where the last crawl's health of an output is kept (for jump alarms)."""
    return Path(output).with_suffix(".health.json")


def load_previous(output: str | Path) -> dict:
    """The health saved by the previous crawl of the same output ({} when none)."""
    path = health_path(output)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
