"""Where reference data lives. Data files are read once and cached by their loaders."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def reference_dir() -> Path:
    """``data/reference`` of this checkout, or ``$XDD_REFERENCE_DIR``."""
    return Path(os.environ.get("XDD_REFERENCE_DIR", REPO_ROOT / "data" / "reference"))


def reference_path(name: str) -> Path:
    return reference_dir() / name
