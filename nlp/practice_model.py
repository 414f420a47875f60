"""The practice classifier as a shipped artifact: fitted once (at install, or on first use when
the labelled data changed) and applied with numpy alone.

Fitting needs scikit-learn (``nlp.practices.fit_models``: TF-IDF over syllable 1–2-grams of the
lower-cased and the tone-folded text, a logistic-regression detector, a linear SVM for the
category). Applying it is two sparse TF-IDF transforms and two linear maps, so the artifact
holds what those need (vocabularies, idf weights, coefficients) and a fresh process never
imports scikit-learn nor trains: the artifact is ``data/models/practices-<hash>.npz``, the hash
covering the labelled examples and this module's FORMAT, so changed data means a new artifact.

    python -m nlp.practice_model --build     # fit and write the artifact (make install runs it)
"""
from __future__ import annotations

import argparse
import hashlib
import math
import os
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from nlp.resources import reference_path
from nlp.text import fold

FORMAT = "practices-v1"          # bump when what is stored or how it is applied changes
MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "models"
_TOKEN = re.compile(r"(?u)\b\w+\b")


def _raw(s: str) -> str:
    return s.lower()


def _folded(s: str) -> str:
    return fold(s)


PREPROCESS = (_raw, _folded)     # the two feature blocks, in the order they are stacked


@dataclass(frozen=True)
class Block:
    """One TF-IDF block: n-gram → column, and the idf of each column."""
    vocab: dict[str, int]
    idf: np.ndarray

    def transform(self, texts: list[str], prep) -> sp.csr_matrix:
        """Sublinear tf × idf over unigrams and bigrams of the preprocessed text, rows
        l2-normalised (what scikit-learn's TfidfVectorizer(sublinear_tf=True) computes)."""
        indptr, indices, data = [0], [], []
        for t in texts:
            toks = _TOKEN.findall(prep(t))
            grams = Counter(toks)
            grams.update(f"{a} {b}" for a, b in zip(toks, toks[1:]))
            row = {}
            for g, n in grams.items():
                j = self.vocab.get(g)
                if j is not None:
                    row[j] = (1.0 + math.log(n)) * self.idf[j]
            norm = math.sqrt(sum(v * v for v in row.values())) or 1.0
            for j in sorted(row):
                indices.append(j)
                data.append(row[j] / norm)
            indptr.append(len(indices))
        return sp.csr_matrix((np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int32),
                              np.asarray(indptr, dtype=np.int32)), shape=(len(texts), len(self.idf)))


@dataclass(frozen=True)
class CompiledModels:
    """The fitted classifier as arrays: features, practice probability, category scores."""
    blocks: tuple[Block, ...]
    det_coef: np.ndarray          # (n_features,)
    det_intercept: float
    classes: tuple[str, ...]
    cat_coef: np.ndarray          # (n_classes, n_features)
    cat_intercept: np.ndarray     # (n_classes,)

    def features(self, texts: list[str]) -> sp.csr_matrix:
        return sp.hstack([b.transform(texts, prep) for b, prep in zip(self.blocks, PREPROCESS)]).tocsr()

    def practice_proba(self, x) -> np.ndarray:
        z = x @ self.det_coef + self.det_intercept
        return 1.0 / (1.0 + np.exp(-np.asarray(z).ravel()))

    def category_scores(self, x) -> np.ndarray:
        return np.asarray(x @ self.cat_coef.T) + self.cat_intercept


def compile_models(m) -> CompiledModels:
    """Arrays from fitted scikit-learn models (``nlp.practices.Models``)."""
    blocks = []
    for _, vec in m.vectorizer.transformer_list:
        blocks.append(Block({k: int(v) for k, v in vec.vocabulary_.items()}, np.asarray(vec.idf_, dtype=np.float64)))
    classes = [bool(c) for c in m.detector.classes_]
    coef = np.asarray(m.detector.coef_[0], dtype=np.float64)
    intercept = float(m.detector.intercept_[0])
    if classes.index(True) == 0:              # scikit-learn's coefficients are for classes_[1]
        coef, intercept = -coef, -intercept
    return CompiledModels(tuple(blocks), coef, intercept, tuple(str(c) for c in m.categorizer.classes_),
                          np.asarray(m.categorizer.coef_, dtype=np.float64),
                          np.asarray(m.categorizer.intercept_, dtype=np.float64))


# ------------------------------------------------------------------ the artifact
def data_hash() -> str:
    """Hash of the labelled examples (every practice_examples*.jsonl, in name order) and FORMAT."""
    h = hashlib.sha256(FORMAT.encode())
    for p in sorted(reference_path("").glob("practice_examples*.jsonl")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def artifact_path(digest: str | None = None) -> Path:
    return MODEL_DIR / f"practices-{digest or data_hash()}.npz"


def save(cm: CompiledModels, path: Path) -> Path:
    """Write the artifact atomically (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {"det_coef": cm.det_coef, "det_intercept": np.asarray([cm.det_intercept]),
              "classes": np.asarray(cm.classes), "cat_coef": cm.cat_coef,
              "cat_intercept": cm.cat_intercept}
    for k, b in enumerate(cm.blocks):
        terms = sorted(b.vocab, key=b.vocab.get)
        arrays[f"vocab{k}"] = np.asarray(terms)
        arrays[f"idf{k}"] = b.idf
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.part")
    os.close(fd)
    try:
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def load(path: Path) -> CompiledModels:
    with np.load(path, allow_pickle=False) as z:
        blocks = tuple(Block({t: i for i, t in enumerate(z[f"vocab{k}"].tolist())}, z[f"idf{k}"])
                       for k in range(len(PREPROCESS)))
        return CompiledModels(blocks, z["det_coef"], float(z["det_intercept"][0]),
                              tuple(z["classes"].tolist()), z["cat_coef"].astype(np.float64), z["cat_intercept"])


def build() -> Path:
    """Fit on the labelled examples and write the artifact for their hash."""
    from nlp.practices import fit_models, load_examples

    return save(compile_models(fit_models(load_examples())), artifact_path())


@lru_cache(maxsize=1)
def compiled() -> CompiledModels:
    """The artifact for the current labelled data, built first when missing (a read-only or
    missing model folder: fitted in memory, nothing written)."""
    path = artifact_path()
    if path.exists():
        try:
            return load(path)
        except (OSError, ValueError, KeyError):
            pass                               # a damaged artifact is rebuilt
    from nlp.practices import fit_models, load_examples

    cm = compile_models(fit_models(load_examples()))
    try:
        save(cm, path)
    except OSError:
        pass
    return cm


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="build the practice classifier's artifact")
    ap.add_argument("--build", action="store_true", help="fit and write data/models/practices-<hash>.npz")
    a = ap.parse_args(argv)
    path = artifact_path()
    if a.build or not path.exists():
        path = build()
        print(f"practice model: {path.relative_to(MODEL_DIR.parents[1])} ({path.stat().st_size // 1024} KB)")
    else:
        print(f"practice model: {path.relative_to(MODEL_DIR.parents[1])} is current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
