"""The crawl report: counts from Scrapy stats (or from a re-extraction)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class CrawlReport:
    """Counts of one crawl: fetched, kept, near-duplicates, skips by reason, per source."""

    fetched: int = 0
    kept: int = 0
    near_duplicates: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    per_source: dict[str, dict] = field(default_factory=dict)
    output: str | None = None
    skips_path: str | None = None
    elapsed_s: float = 0.0
    health: dict[str, dict] = field(default_factory=dict)   # per source: selector hit rates, fallbacks
    warnings: list[str] = field(default_factory=list)        # drift alarms (see crawler.health)
    politeness: dict[str, dict] = field(default_factory=dict)  # per host: requests, min gap, floor

    def to_dict(self) -> dict:
        """Plain dict (JSON-ready)."""
        return asdict(self)

    def summary(self) -> str:
        """One line of counts."""
        skips = ", ".join(f"{k} {v}" for k, v in sorted(self.skipped.items())) or "none"
        line = (f"fetched {self.fetched}, kept {self.kept}, near-duplicates {self.near_duplicates}, "
                f"skipped {sum(self.skipped.values())} ({skips}) in {self.elapsed_s:.1f}s")
        rates = []
        for name, h in sorted(self.health.items()):
            hits = " ".join(f"{f} {r:.0%}" for f, r in sorted(h.get("hit_rate", {}).items()))
            falls = " ".join(f"{f} {r:.0%}" for f, r in sorted(h.get("fallback_rate", {}).items()) if r)
            rates.append(f"\n  {name}: {h.get('pages', 0)} pages; selectors hit: {hits or '-'}; "
                         f"fallbacks used: {falls or 'none'}")
        return line + "".join(rates) + "".join(f"\n  warning: {w}" for w in self.warnings)

    @classmethod
    def from_dict(cls, data: dict) -> "CrawlReport":
        """Inverse of `to_dict`."""
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _source_entry(per: dict, name: str) -> dict:
    return per.setdefault(name, {"fetched": 0, "kept": 0, "near_duplicates": 0, "skipped": {}})


def from_stats(stats: dict) -> CrawlReport:
    """Build a report from `xdd/...` stats keys."""
    rep = CrawlReport(fetched=int(stats.get("xdd/fetched", 0)), kept=int(stats.get("xdd/kept", 0)),
                      near_duplicates=int(stats.get("xdd/near_duplicates", 0)))
    for key, value in stats.items():
        if key.startswith("xdd/skipped/"):
            rep.skipped[key[len("xdd/skipped/"):]] = int(value)
        elif key.startswith("xdd/source/") and "/health/" not in key:
            name, _, rest = key[len("xdd/source/"):].partition("/")
            entry = _source_entry(rep.per_source, name)
            if rest.startswith("skipped/"):
                entry["skipped"][rest[len("skipped/"):]] = int(value)
            elif rest in entry:
                entry[rest] = int(value)
    return rep
