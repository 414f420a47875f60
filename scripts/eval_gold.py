"""Score `nlp.extract` on a gold file that carries its texts: python scripts/eval_gold.py data/gold/heldout_a.jsonl [--json]."""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
sys.path.insert(0, str(ROOT))

from nlp import extract  # noqa: E402


def main() -> None:
    gold = Path(sys.argv[1])
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for line in gold.read_text(encoding="utf-8").splitlines():
            g = json.loads(line)
            fh.write(json.dumps(extract(g["text"], doc_id=g["doc_id"], published=g.get("published")), ensure_ascii=False) + "\n")
    subprocess.run([sys.executable, str(SCORER), str(gold), fh.name, *sys.argv[2:]], check=False)


if __name__ == "__main__":
    main()
