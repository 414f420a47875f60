"""Extract the dev-gold seed articles and score them: python scripts/eval_dev.py [--json]."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from nlp import extract  # noqa: E402


def main() -> None:
    gold = SHARED / "eval" / "dev.jsonl"
    out = Path("/tmp/xdd_dev_out.jsonl")
    with out.open("w", encoding="utf-8") as fh:
        for line in gold.read_text(encoding="utf-8").splitlines():
            g = json.loads(line)
            text = (SHARED / "corpus" / "seeds" / g["source_file"]).read_text(encoding="utf-8")
            fh.write(json.dumps(extract(text, doc_id=g["doc_id"]), ensure_ascii=False) + "\n")
    subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(out), *sys.argv[1:]])


if __name__ == "__main__":
    main()
