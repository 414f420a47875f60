"""`xdd search --kind practice` gives each hit the record fields `xdd practices` gives (its sources
list aside: a search hit is one article)."""
from __future__ import annotations

import json
import subprocess
import sys

from pipelines import db
from pipelines.practices import practice_records_by_id


def test_practice_hits_carry_their_records(demo_kb):
    path = demo_kb[0]
    out = subprocess.run([sys.executable, "-m", "pipelines", "search", "sinh hoạt chi bộ", "--kind", "practice",
                          "--db", str(path), "--format", "json", "--limit", "10"],
                         capture_output=True, text=True, check=True)
    hits = json.loads(out.stdout)
    assert hits and all(h["kind"] == "practice" for h in hits)
    with db.connect(path, read_only=True) as con:
        records = practice_records_by_id(con, [f"{h['doc_id']}:{h['start']}" for h in hits])
    for h in hits:
        rec = records[f"{h['doc_id']}:{h['start']}"]
        assert h["extras"]["actor"] == rec["actor"] and h["extras"]["place_name"] == rec["place_name"]
        assert h["extras"]["documents"] == rec["documents"] and h["extras"]["time"] == rec["time"]
        assert [o["text"] for o in h["extras"]["outcome"]] == [o["text"] for o in rec["outcome"]]
    assert any(h["extras"]["actor"] for h in hits)
