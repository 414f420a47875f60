"""HTML view of one extraction: displaCy ``ent`` manual rendering plus a list of practices.

Entities (ORG/LOC/PERSON), directives (DOC) and figures (FIG) are highlighted in the text;
practices are listed below with their category. Used by ``xdd show DOC --html out.html``.
"""
from __future__ import annotations

import html

from nlp.text import clean

COLORS = {"ORG": "#7aecec", "LOC": "#ff9561", "PERSON": "#aa9cfc", "DOC": "#f0d0ff", "FIG": "#bfe1d9"}
PRIORITY = {"DOC": 0, "FIG": 1, "ORG": 2, "LOC": 3, "PERSON": 4}
_STYLE = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.6}"
          ".practices li{margin:.5em 0;padding:.4em .6em;background:#fff8c4;border-radius:4px}"
          ".cat{font-size:.8em;font-weight:bold;margin-right:.6em;color:#555}")


def _span(item, label: str, n: int) -> dict | None:
    """{"start", "end", "label"} for a valid item inside a text of length n, else None."""
    if not isinstance(item, dict):
        return None
    s, e = item.get("start"), item.get("end")
    if not isinstance(s, int) or not isinstance(e, int) or not 0 <= s < e <= n:
        return None
    return {"start": s, "end": e, "label": label}


def spans_for(extraction: dict, n: int) -> list[dict]:
    """Non-overlapping highlight spans: DOC, then FIG, then entities (longest first)."""
    cands = [_span(d, "DOC", n) for d in extraction.get("directives") or []]
    cands += [_span(m, "FIG", n) for m in extraction.get("metrics") or []]
    cands += [_span(e, str(e.get("label")), n) for e in extraction.get("entities") or []
              if isinstance(e, dict) and e.get("label") in COLORS]
    cands = [c for c in cands if c]
    cands.sort(key=lambda c: (PRIORITY.get(c["label"], 9), c["start"] - c["end"], c["start"]))
    chosen: list[dict] = []
    for c in cands:
        if all(c["end"] <= o["start"] or c["start"] >= o["end"] for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c["start"])


def practices_html(text: str, practices: list) -> str:
    """The practices as an HTML list (escaped), or a note when there are none."""
    items = []
    for p in practices or []:
        sp = _span(p, "P", len(text))
        if sp:
            cat = html.escape(str(p.get("category") or "other"))
            items.append(f'<li><span class="cat">{cat}</span>{html.escape(text[sp["start"]:sp["end"]])}</li>')
    if not items:
        return "<p><em>No practices found.</em></p>"
    return '<ul class="practices">' + "".join(items) + "</ul>"


def render_html(text: str, extraction: dict) -> str:
    """A standalone HTML page showing the extraction over the (NFC-cleaned) text."""
    from spacy import displacy

    text = clean(text) if isinstance(text, str) else ""
    extraction = extraction if isinstance(extraction, dict) else {}
    title = html.escape(str(extraction.get("doc_id") or "document"))
    data = {"text": text, "ents": spans_for(extraction, len(text)), "title": None}
    body = displacy.render(data, style="ent", manual=True, page=False, jupyter=False,
                           options={"colors": COLORS, "ents": list(COLORS)})
    province = html.escape(str(extraction.get("province") or "—"))
    return (f"<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<style>{_STYLE}</style></head><body><h1>{title}</h1><p>Province: {province}</p>"
            f"{body}<h2>Practices</h2>{practices_html(text, extraction.get('practices'))}</body></html>")
