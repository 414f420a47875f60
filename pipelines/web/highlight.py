"""An article's stored text as HTML with its facts marked: party bodies, places, people,
documents and figures as <mark> spans (displaCy's colours), practice passages as wrapped
blocks, sentence starts as anchors. Marks never cross: where facts overlap, figures win over
documents, documents over bodies, bodies over places and people."""
from __future__ import annotations

from markupsafe import Markup, escape

from pipelines.web.fmt import category as category_label

# (class, label, colour, what it is): displaCy's colours for ORG, LOC, PERSON, LAW, CARDINAL
LEGEND = (
    ("org", "Tổ chức đảng, cơ quan", "#7aecec"),
    ("loc", "Địa danh", "#feca74"),
    ("per", "Người", "#aa9cfc"),
    ("doc", "Văn bản (chỉ thị, nghị quyết)", "#ff8197"),
    ("fig", "Số liệu", "#c7e9b4"),
    ("practice", "Cách làm, mô hình", "#fff4c2"),
)
PRIORITY = {"fig": 0, "doc": 1, "org": 2, "loc": 3, "per": 4}
LABEL_CLASS = {"ORG": "org", "LOC": "loc", "PERSON": "per"}


def _marks(facts: dict, n: int) -> list[tuple[int, int, str, str]]:
    """(start, end, class, tooltip) of the inline marks, overlaps resolved by PRIORITY."""
    cands = []
    for f in facts.get("figures", []):
        tip = " · ".join(str(x) for x in (f.get("indicator"), f.get("period"), f.get("measure"), f.get("scope")) if x)
        cands.append((f["start"], f["end"], "fig", tip))
    for d in facts.get("documents", []):
        cands.append((d["start"], d["end"], "doc", d.get("key") or ""))
    for m in facts.get("mentions", []):
        cls = LABEL_CLASS.get(m["label"])
        if cls:
            cands.append((m["start"], m["end"], cls, m.get("norm") or ""))
    cands = [c for c in cands if 0 <= c[0] < c[1] <= n]
    cands.sort(key=lambda c: (PRIORITY[c[2]], c[0], -(c[1] - c[0])))
    taken: list[tuple[int, int, str, str]] = []
    for c in cands:
        if all(c[1] <= t[0] or c[0] >= t[1] for t in taken):
            taken.append(c)
    return sorted(taken)


def render_text(text: str, facts: dict, sentence_starts: list[int] | None = None) -> Markup:
    n = len(text)
    marks = _marks(facts, n)
    practices = sorted((p["start"], p["end"], p.get("category") or "") for p in facts.get("practices", [])
                       if 0 <= p["start"] < p["end"] <= n)
    # practice blocks that do not overlap an earlier one
    blocks, last = [], -1
    for s, e, c in practices:
        if s >= last:
            blocks.append((s, e, c))
            last = e
    cuts = {0, n, *(s for s, _, _ in blocks), *(e for _, e, _ in blocks),
            *(s for s, _, _, _ in marks), *(e for _, e, _, _ in marks), *(sentence_starts or [])}
    cuts = sorted(c for c in cuts if 0 <= c <= n)
    sentence_set = set(sentence_starts or [])
    out: list[str] = []
    block_at = {s: (e, c) for s, e, c in blocks}
    block_end = None
    mark_at = {s: (e, cls, tip) for s, e, cls, tip in marks}
    mark_end = None
    mark_tag = ""
    for i, pos in enumerate(cuts[:-1]):
        nxt = cuts[i + 1]
        if mark_end == pos:
            out.append("</mark>")
            mark_end = None
        if block_end == pos:
            if mark_end is not None:
                out.append("</mark>")
            out.append("</span>")
            block_end = None
            if mark_end is not None:
                out.append(mark_tag)
        if pos in sentence_set:
            out.append(f'<a class="anchor" id="s-{pos}"></a>')
        if pos in block_at and block_end is None:
            e, c = block_at[pos]
            if mark_end is not None:
                out.append("</mark>")
            out.append(f'<span class="practice" id="p-{pos}" data-category="{escape(c)}">'
                       f'<span class="tag">{escape(category_label(c))}</span>')
            block_end = e
            if mark_end is not None:
                out.append(mark_tag)
        if pos in mark_at and mark_end is None:
            e, cls, tip = mark_at[pos]
            mark_tag = f'<mark class="fact {cls}" title="{escape(tip)}">'
            out.append(mark_tag)
            mark_end = e
        out.append(str(escape(text[pos:nxt])))
    if mark_end is not None:
        out.append("</mark>")
    if block_end is not None:
        out.append("</span>")
    return Markup("".join(out))
