"""Practices (cách làm, mô hình, giải pháp, thí điểm, kinh nghiệm) and their category.

Detection scores each sentence with a logistic-regression detector (TF-IDF over syllable
1–2-grams of the text and of its tone-folded form) blended with cue rules: a party body, a
way-of-working verb or a concrete routine (mỗi chi bộ, hằng tháng, phụ trách, đăng ký, ăn cùng ở
cùng ...) raises the score; a bare figure or tally, an exhortation or plan without a how
(Tiếp tục ..., Cần ..., sẽ ...), an event report (hội nghị, trao, báo cáo kết quả ...), a bare
result (có chuyển biến, được nâng lên) or vague praise lowers it. Adjacent detected sentences of
one paragraph merge into one passage when they share a category or the later one opens as a
continuation (Đồng thời, Mỗi tháng ...); such a continuation sentence may score CONT_MARGIN below
the threshold. A text keeps at most MAX_SHARE of its sentence count (the best-scoring ones) as
practices. The category comes from a LinearSVC over the same features plus keyword priors.
Both models train at first use from every ``data/reference/practice_examples*.jsonl``
(cached; nothing is pickled).
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from nlp.resources import reference_path
from nlp.text import fold

CATEGORIES = (
    "sinh_hoat_chi_bo", "phat_trien_dang_vien", "kiem_tra_giam_sat",
    "giao_duc_chinh_tri_tu_tuong", "cong_tac_can_bo", "cung_co_to_chuc_co_so",
    "hoc_tap_lam_theo_Bac", "cai_cach_hanh_chinh_dan_van", "chuyen_doi_so", "other",
)
THRESHOLD = 0.5
CONT_MARGIN = 0.15  # a continuation sentence may score this much below THRESHOLD
CUE_WEIGHT = 0.4
MAX_RUN = 4
MAX_SHARE, MIN_CAP = 0.3, 3  # at most this share of a text's sentences (at least MIN_CAP)
MIN_WORDS, MAX_WORDS = 10, 120
# A party body's own step to carry out its work (convened, launched, issued, organised, set out
# ...; the ``initiative`` rows of practice_cues.csv) is a practice even when the detector, trained
# mostly on routines, scores it low. Calibrated on the real-style development passages
# (../shared/eval/dev_real.jsonl: 5 of its 9 practices are such steps, told as one event) against
# our own real-style gold (data/gold/real_a, real_b), whose precision must hold.
INITIATIVE_SCORE = 0.55

PRIOR_WEIGHT = 0.4  # how much the keyword priors of practice_cues.csv move the category SVM
PRIOR_CAP = 2.0

# Cue rules and category keyword priors are data: ``data/reference/practice_cues.csv`` (folded,
# lower-case patterns so tone-mark variants match; ``word`` rows are matched between word
# boundaries, ``regex`` rows as written).
_CUE_GROUPS = ("actor", "way", "result", "reported", "figure", "modal", "order", "outcome",
               "frame", "concrete", "exhort", "event", "bare", "vague", "veto", "routine", "always_veto",
               "initiative", "formal", "review", "dated_event")


@lru_cache(maxsize=1)
def _cue_rows() -> tuple[dict, ...]:
    with reference_path("practice_cues.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def _compile(rows: list[dict]) -> re.Pattern:
    """One pattern for a group: word rows as r'\b(a|b)\b', regex rows as they are."""
    words = [r["pattern"] for r in rows if r["match"] == "word"]
    parts = [r["pattern"] for r in rows if r["match"] != "word"]
    if words:
        parts.insert(0, r"\b(" + "|".join(words) + r")\b")
    return re.compile("|".join(parts) or r"(?!x)x")


@lru_cache(maxsize=1)
def cues() -> dict[str, re.Pattern]:
    """Detector cue patterns by group (actor, way, result, ...)."""
    rows = _cue_rows()
    return {g: _compile([r for r in rows if r["group"] == g]) for g in _CUE_GROUPS}


@lru_cache(maxsize=1)
def _phrase_cues() -> tuple[dict[str, list[tuple[int, str, str, float]]], list[tuple[str, float, re.Pattern]]]:
    """Word cues that are plain phrases, by first word (cue index, phrase, category, weight),
    and the other cues as patterns: one pass over a sentence's words finds every phrase."""
    by_first: dict[str, list[tuple[int, str, str, float]]] = {}
    other = []
    rows = [r for r in _cue_rows() if r["group"] == "category" and r["category"] in CATEGORIES]
    for k, r in enumerate(rows):
        w = float(r["weight"] or 1)
        if r["match"] == "word" and re.fullmatch(r"[\w ]+", r["pattern"]):
            by_first.setdefault(r["pattern"].split(" ", 1)[0], []).append((k, r["pattern"], r["category"], w))
        else:
            other.append((r["category"], w, re.compile(r"\b(?:" + r["pattern"] + r")\b" if r["match"] == "word"
                                                       else r["pattern"])))
    return by_first, other


_WORD_START = re.compile(r"\b(\w+)")


def category_prior(sentence: str) -> dict[str, float]:
    """Keyword evidence per category (sum of matched cue weights, capped at PRIOR_CAP); each
    cue counts once, as a whole-word match in the folded sentence."""
    f = _fold(sentence)
    by_first, other = _phrase_cues()
    seen: set[int] = set()
    out: dict[str, float] = {}
    for m in _WORD_START.finditer(f):
        for k, phrase, cat, w in by_first.get(m[1], ()):
            end = m.start() + len(phrase)
            if k not in seen and f.startswith(phrase, m.start()) and (end == len(f) or not (f[end].isalnum() or f[end] == "_")):
                seen.add(k)
                out[cat] = min(PRIOR_CAP, out.get(cat, 0.0) + w)
    for cat, w, rx in other:
        if rx.search(f):
            out[cat] = min(PRIOR_CAP, out.get(cat, 0.0) + w)
    return out


_END = re.compile(r"[.!…;]['\"”’)\]]*$")
_DIGIT = re.compile(r"\d")


def _analyzer_text(s: str) -> str:
    return s.lower()


@lru_cache(maxsize=4096)
def _fold(s: str) -> str:
    """``fold`` cached: each sentence is folded once for the features and once for the cues."""
    return fold(s)


def _features():
    """TF-IDF over syllable 1–2-grams of the lower-cased and the tone-folded text."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    tok = r"(?u)\b\w+\b"
    return FeatureUnion([
        ("raw", TfidfVectorizer(preprocessor=_analyzer_text, token_pattern=tok,
                                ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
        ("fold", TfidfVectorizer(preprocessor=_fold, token_pattern=tok,
                                 ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
    ])


@lru_cache(maxsize=4)
def load_examples(path: str | None = None) -> tuple[dict, ...]:
    """Labelled examples ``{"text", "is_practice", "category"}``; bad lines skipped.

    By default every ``data/reference/practice_examples*.jsonl``: the written examples and
    the sentences labelled in the project's annotated articles.
    """
    paths = sorted(reference_path("").glob("practice_examples*.jsonl")) if path is None else [path]
    rows = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            rows += [r for r in map(_json_or_none, fh) if isinstance(r, dict) and isinstance(r.get("text"), str)]
    return tuple(rows)


def _json_or_none(line: str):
    try:
        return json.loads(line)
    except ValueError:
        return None


@dataclass(frozen=True)
class Models:
    """Fitted models sharing one feature space."""

    vectorizer: object
    detector: object
    categorizer: object


def fit_models(rows: list[dict] | tuple[dict, ...]) -> Models:
    """Fit the features, the practice detector (LogReg) and the category SVM on examples."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    texts = [r["text"] for r in rows]
    vec = _features().fit(texts)
    x = vec.transform(texts)
    det = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
    det.fit(x, [bool(r.get("is_practice")) for r in rows])
    pos = [i for i, r in enumerate(rows) if r.get("is_practice") and r.get("category") in CATEGORIES]
    cat = LinearSVC(C=0.8, class_weight="balanced").fit(x[pos], [rows[i]["category"] for i in pos])
    return Models(vec, det, cat)


def models():
    """The classifier for the current labelled data (``nlp.practice_model``: a shipped artifact
    applied with numpy; fitted with scikit-learn only when the data changed)."""
    from nlp.practice_model import compiled

    return compiled()


def categorize(x, texts: list[str], m, prior_weight: float | None = None) -> list[str]:
    """Category per row of ``x``: the SVM's decision values plus the keyword priors. ``m`` is
    compiled (``nlp.practice_model.CompiledModels``) or fitted (``Models``)."""
    w = PRIOR_WEIGHT if prior_weight is None else prior_weight
    if isinstance(m, Models):
        classes, scores = [str(c) for c in m.categorizer.classes_], m.categorizer.decision_function(x)
    else:
        classes, scores = list(m.classes), m.category_scores(x)
    if not w:
        return [classes[int(np.argmax(row))] for row in scores]
    out = []
    for row, text in zip(scores, texts):
        prior = category_prior(text)
        best = max(range(len(classes)), key=lambda k: row[k] + w * prior.get(classes[k], 0.0))
        out.append(classes[best])
    return out


def _classify_matrix(x, m: Models, texts: list[str]) -> list[str]:
    return categorize(x, texts, m)


def classify(texts: list[str]) -> list[str]:
    """One category of CATEGORIES per text ("other" for empty or unusable text)."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    keep = [i for i, t in enumerate(texts) if t.strip()]
    out = ["other"] * len(texts)
    if keep:
        m = models()
        kept = [texts[i] for i in keep]
        for i, c in zip(keep, _classify_matrix(features(m, kept), m, kept)):
            out[i] = c
    return out


def cue_score(sentence: str) -> float:
    """Rule evidence in [-1, 1]: actor, way-of-working and concrete-routine cues up; results,
    figures, reported speech, plans and document-framing down."""
    f = _fold(sentence)
    c = cues()
    score = 0.0
    score += 0.35 if c["actor"].search(f) else -0.2
    score += min(len(c["way"].findall(f)), 2) * 0.2
    score -= 0.35 if c["result"].search(f) else 0.0
    score -= 0.3 if c["outcome"].search(f) else 0.0
    score -= 0.25 if c["modal"].search(f) and not c["order"].search(f) else 0.0
    score -= 0.3 if c["reported"].search(f) else 0.0
    score -= 0.25 if c["figure"].search(f) else 0.0
    score -= 0.25 if c["frame"].search(f) else 0.0
    concrete = len(c["concrete"].findall(f))
    score += min(concrete, 2) * 0.15
    # exhortations and plans without a concrete how; reports of an event; bare results
    score -= 0.35 if c["exhort"].search(f) and not concrete else 0.0
    score -= 0.4 if c["event"].search(f) else 0.0
    score -= 0.3 if c["bare"].search(f) and not concrete else 0.0
    score -= 0.25 if c["vague"].search(f) and not concrete else 0.0
    digits = len(_DIGIT.findall(sentence))
    score -= 0.3 if digits > 6 else 0.0
    return max(-1.0, min(1.0, score))


def _eligible(sentence: str) -> bool:
    n = len(sentence.split())
    return MIN_WORDS <= n <= MAX_WORDS and bool(_END.search(sentence.rstrip()))


def vetoed(sentence: str) -> bool:
    """Not a way of working whatever the model says: a dated event report ('Ngày 11/11, ... tổ
    chức kỳ họp ...'), a dated tally ('Năm 2018, ... đã kiểm tra 1.126 tổ chức đảng'), results
    announced or sent up ('công bố kết quả', 'tổng hợp, gửi báo cáo'), an exhortation ('cần được
    tiến hành'), a comment ('Đó là ...'), unless it names a routine or an assignment ('hằng tháng',
    'mỗi chi bộ', 'phân công', 'tổ công tác'). Patterns: the ``veto`` and ``routine`` rows of
    practice_cues.csv."""
    f = _fold(sentence)                     # fold lower-cases too
    c = cues()
    if c["always_veto"].search(f) or c["formal"].search(f):   # exhortations, comments, formal business
        return True
    if c["review"].search(f) and c["initiative"].search(f):   # a body reviewing how a directive was carried out
        return False
    if c["dated_event"].search(f):          # 'Sáng 27/8, đoàn công tác ... làm việc với ...': an event
        return True
    return bool(c["veto"].search(f)) and not c["routine"].search(f)


_COUNTED_SUBJECT = re.compile(r"^(?:[^,]{0,30}, )?\d[\d.,/]* ")


def initiative(sentence: str) -> bool:
    """A party body taking a step to carry out its work ('Thường trực Tỉnh ủy đã triệu tập hội
    nghị nhằm ...', 'Kế hoạch ... được BTV Tỉnh ủy ban hành ...'), not formal business (a
    personnel decision announced, drafts approved at a plenum), an event report, a tally, a
    reported opinion, a bare result or a plan (the ``formal``, ``event`` ... rows)."""
    f = _fold(sentence)
    c = cues()
    if not c["initiative"].search(f):
        return False
    if len(c["figure"].findall(f)) > 1 or _COUNTED_SUBJECT.match(f) or c["result"].match(f):
        return False                        # a tally ('Đến nay, 15/18 chi bộ đã ban hành ...')
    if f.startswith("nho "):                # an outcome ('Nhờ cách làm đó, ...')
        return False
    if c["outcome"].match(f):               # opens as an outcome ('Nhờ đó', 'Qua đó' ...)
        return False
    blocking = ("formal", "reported", "bare", "exhort") if c["review"].search(f) else \
        ("formal", "event", "reported", "bare", "exhort")
    return not any(c[g].search(f) for g in blocking)


def _blend(prob: float, sentence: str) -> float:
    if vetoed(sentence):
        return 0.0
    score = max(0.0, min(1.0, (1 - CUE_WEIGHT) * prob + CUE_WEIGHT * (0.5 + 0.5 * cue_score(sentence))))
    return max(score, INITIATIVE_SCORE) if initiative(sentence) else score


def features(m, texts: list[str]):
    """The TF-IDF rows of ``texts`` (compiled models), or the FeatureUnion's parts stacked
    directly (fitted ones: the same matrix as ``m.vectorizer.transform``, without joblib)."""
    if not isinstance(m, Models):
        return m.features(texts)
    import scipy.sparse as sp

    return sp.hstack([part.transform(texts) for _, part in m.vectorizer.transformer_list]).tocsr()


def practice_proba(m, x):
    """Probability that each row is a practice."""
    if not isinstance(m, Models):
        return m.practice_proba(x)
    return m.detector.predict_proba(x)[:, list(m.detector.classes_).index(True)]


def _score_and_classify(sentences: list[str], m) -> tuple[list[float], list[str]]:
    """Practice score in [0, 1] (0 when ineligible or below THRESHOLD whatever the cues)
    and category for each sentence."""
    idx = [i for i, s in enumerate(sentences) if _eligible(s)]
    scores, cats = [0.0] * len(sentences), ["other"] * len(sentences)
    if not idx:
        return scores, cats
    x = features(m, [sentences[i] for i in idx])
    probs = practice_proba(m, x)
    for i, p in zip(idx, probs):
        hopeless = (1 - CUE_WEIGHT) * p + CUE_WEIGHT < THRESHOLD  # even the best cues fall short
        scores[i] = 0.0 if hopeless and not initiative(sentences[i]) else _blend(float(p), sentences[i])
    # only sentences that can be kept (or continue a kept one) need a category
    rows = [k for k, i in enumerate(idx) if scores[i] >= THRESHOLD - CONT_MARGIN]
    if rows:
        for k, c in zip(rows, _classify_matrix(x[rows], m, [sentences[idx[k]] for k in rows])):
            cats[idx[k]] = c
    return scores, cats


def score_sentences(sentences: list[str]) -> list[float]:
    """Practice score in [0, 1] per sentence (0 for ineligible or hopeless ones)."""
    return _score_and_classify(sentences, models())[0]


def _same_paragraph(text: str, a_end: int, b_start: int) -> bool:
    return "\n" not in text[a_end:b_start]


_CONTINUES = re.compile(r"^(?:dong thoi|ben canh do|ngoai ra|cung voi do|sau do|tiep do|khong chi|them vao do|"
                        r"moi (?:thang|quy|tuan|nam|chi bo|dang vien|nguoi)|hang (?:thang|quy|tuan|nam)|"
                        r"theo do|cu the|trong do)\b")


# a sentence whose subject is a party body (within its first words): another body's practice
_NEW_ACTOR = re.compile(r"^(?:[^,]{0,30}, )?(?:ban thuong vu|thuong truc|dang uy|tinh uy|huyen uy|thanh uy|quan uy|"
                        r"thi uy|ban to chuc|ban tuyen giao|ban dan van|uy ban kiem tra|chi uy|chi bo|dang bo)\b")


def _joins(prev: dict | None, it: dict, text: str) -> bool:
    """True when ``it`` continues the run ``prev``: the next sentence of the same paragraph,
    room left, and the same category or a continuation opening (Đồng thời, Mỗi tháng ...)."""
    if not (prev and prev["_n"] < MAX_RUN and prev["_next"] == it["_i"]
            and _same_paragraph(text, prev["end"], it["start"])):
        return False
    return prev["category"] == it["category"] or bool(_CONTINUES.search(_fold(it["text"]).lower()))


def _merge_runs(text: str, items: list[dict]) -> list[dict]:
    """Join adjacent detected sentences of one paragraph (up to MAX_RUN); the run takes the
    category of its best-scoring sentence."""
    out: list[dict] = []
    for it in items:
        prev = out[-1] if out else None
        if _joins(prev, it, text):
            if it["score"] > prev["_best"]:
                prev.update(category=it["category"], _best=it["score"])
            prev.update(end=it["end"], text=text[prev["start"]:it["end"]], _n=prev["_n"] + 1,
                        _next=it["_i"] + 1, score=max(prev["score"], it["score"]))
            prev["_parts"].append(it)
        else:
            out.append(dict(it, _n=1, _next=it["_i"] + 1, _best=it["score"], _parts=[it]))
    return out


def _split_actors(text: str, runs: list[dict]) -> list[dict]:
    """A run splits where a sentence opens with another party body as its subject (that
    body's practice, not a continuation); each piece takes its best sentence's category."""
    out = []
    for run in runs:
        pieces: list[list[dict]] = []
        for part in run["_parts"]:
            f = _fold(part["text"]).lower()
            if pieces and _NEW_ACTOR.search(f) and not _CONTINUES.search(f):
                pieces.append([part])
            elif pieces:
                pieces[-1].append(part)
            else:
                pieces.append([part])
        for piece in pieces:
            best = max(piece, key=lambda p: p["score"])
            start, end = piece[0]["start"], piece[-1]["end"]
            out.append({k: v for k, v in run.items() if not k.startswith("_")}
                       | {"start": start, "end": end, "text": text[start:end], "category": best["category"],
                          "score": max(p["score"] for p in piece)})
    return out


def _continuations(sents: list[str], scores: list[float], chosen: set[int]) -> set[int]:
    """Sentences just after a detected one that carry on its practice: they open with a
    continuation word (Đồng thời, Bên cạnh đó, Mỗi tháng ...) and score within CONT_MARGIN."""
    extra: set[int] = set()
    for i in sorted(chosen):
        j = i + 1
        while j < len(sents) and j not in chosen and scores[j] >= THRESHOLD - CONT_MARGIN \
                and _CONTINUES.search(_fold(sents[j]).lower()):
            extra.add(j)
            j += 1
    return extra


def find_practices(text: str, sentences: list[tuple[int, int]]) -> list[dict]:
    """Contract practice dicts (text, start, end, category) plus ``score``."""
    if not isinstance(text, str) or not text or not sentences:
        return []
    spans = [(s, e) for s, e in (x for x in sentences if isinstance(x, (tuple, list)) and len(x) == 2)
             if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)]
    sents = [text[s:e] for s, e in spans]
    scores, cats = _score_and_classify(sents, models())
    chosen = {i for i in range(len(sents)) if scores[i] >= THRESHOLD}
    chosen |= _continuations(sents, scores, chosen)
    items = [{"text": sents[i], "start": spans[i][0], "end": spans[i][1], "category": cats[i],
              "score": round(scores[i], 3), "_i": i} for i in sorted(chosen)]
    return _split_actors(text, _cap(_merge_runs(text, items), len(sents)))


def _cap(items: list[dict], n_sentences: int) -> list[dict]:
    """The best-scoring items, at most MAX_SHARE of the sentences (never fewer than MIN_CAP)."""
    limit = max(MIN_CAP, int(MAX_SHARE * n_sentences + 0.5))
    if len(items) <= limit:
        return items
    keep = sorted(sorted(items, key=lambda it: -it["score"])[:limit], key=lambda it: it["start"])
    return keep
