#!/usr/bin/env python3
"""Validate hand-written gold JSONL files (extraction contract v2 + eval gold format).

    python scripts/check_gold.py data/gold/real_a.jsonl data/gold/heldout_a.jsonl [--stats]

For every document: a unique ``doc_id``, an NFC ``text``, the five lists ``directives``,
``metrics``, ``orgs``, ``locs``, ``practices`` and, when present, an ISO ``published`` timestamp
(optional in v2: a crawled page may have none) and string (or null) ``url`` / ``province`` / ``source`` /
``title`` / ``lead``.  For every item: ``start``/``end`` inside the text with
``text[start:end] == item["text"]``, a boolean ``optional``, the contract fields of its list, and
only allowed values for kinds, units, qualifiers, practice categories and the v2 metric fields
``scope`` and ``measure`` (checked when present; ``--require-v2`` makes them mandatory).
Prints counts per list (required + optional) per file, with ``--stats`` the metrics per
measure and per scope, and exits 1 if any problem was found.  Standard library only.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from datetime import date, datetime

LISTS = ("directives", "metrics", "orgs", "locs", "practices")
KINDS = {"CT", "NQ", "QĐ", "QĐi", "HD", "KH", "KL", "ĐA", "CTr", "TB", "QC"}
UNITS = {"count", "percent"}
QUALIFIERS = {"exact", "approx", "gt", "lt", "target"}
CATEGORIES = {
    "sinh_hoat_chi_bo", "phat_trien_dang_vien", "kiem_tra_giam_sat",
    "giao_duc_chinh_tri_tu_tuong", "cong_tac_can_bo", "cung_co_to_chuc_co_so",
    "hoc_tap_lam_theo_Bac", "cai_cach_hanh_chinh_dan_van", "chuyen_doi_so", "other",
}
FIELDS = {
    "directives": ("kind", "number", "issuer", "key", "term", "date"),
    "metrics": ("value", "unit", "qualifier", "indicator", "subject", "locality", "period"),
    "orgs": ("norm",),
    "locs": ("norm",),
    "practices": ("category",),
}
SCOPES = {"country", "province", "district", "commune", "organization", None}
MEASURES = {"total", "new", "inspected", "disciplined", "rated", "trained", "awarded", "other", None}
DOC_STRINGS = ("url", "province", "source", "title", "lead")
ROMAN = re.compile(r"^(?=[IVXLC])C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
PERIOD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$|^\d{4}/\d{4}$")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def check_item(name: str, it, text: str, require_v2: bool = False) -> list[str]:
    """Problems with one list item (empty list when it is fine)."""
    if not isinstance(it, dict):
        return ["not an object"]
    errs = []
    st, en, t = it.get("start"), it.get("end"), it.get("text")
    if not (isinstance(st, int) and isinstance(en, int) and not isinstance(st, bool)):
        errs.append("start/end must be integers")
    elif not 0 <= st < en <= len(text):
        errs.append(f"offsets {st}:{en} outside text (len {len(text)})")
    elif text[st:en] != t:
        errs.append(f"text[{st}:{en}] = {text[st:en]!r} != {t!r}")
    if not isinstance(it.get("optional"), bool):
        errs.append("optional must be true/false")
    need = FIELDS[name] + (("scope", "measure") if require_v2 and name == "metrics" else ())
    missing = [f for f in need if f not in it]
    if missing:
        return errs + [f"missing field {f!r}" for f in missing]
    if name == "directives":
        errs += _check_directive(it)
    elif name == "metrics":
        errs += _check_metric(it)
    elif name in ("orgs", "locs"):
        if not isinstance(it["norm"], str) or not it["norm"].strip():
            errs.append("norm must be a non-empty string")
    elif it["category"] not in CATEGORIES:
        errs.append(f"bad category {it['category']!r}")
    return errs


def _check_directive(it) -> list[str]:
    errs = []
    kind, num, issuer, key = it["kind"], it["number"], it["issuer"], it["key"]
    if kind not in KINDS:
        errs.append(f"bad kind {kind!r}")
    if num is not None and (not isinstance(num, int) or isinstance(num, bool) or num < 0):
        errs.append(f"number must be a non-negative integer or null, not {num!r}")
    if issuer is not None and (not isinstance(issuer, str) or issuer != issuer.upper()
                               or "TƯ" in issuer or "T.Ư" in issuer):
        errs.append(f"issuer must be an upper-case code with TW for TƯ, not {issuer!r}")
    want = f"{num:02d}-{kind}/{issuer}" if isinstance(num, int) and kind and issuer else None
    if key != want:
        errs.append(f"key {key!r} != expected {want!r}")
    if it["term"] is not None and not (isinstance(it["term"], str) and ROMAN.match(it["term"])):
        errs.append(f"term must be Roman numerals or null, not {it['term']!r}")
    if it["date"] is not None:
        try:
            date.fromisoformat(it["date"])
        except (TypeError, ValueError):
            errs.append(f"date must be ISO YYYY-MM-DD or null, not {it['date']!r}")
    return errs


def _check_metric(it) -> list[str]:
    errs = []
    v = it["value"]
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        errs.append(f"value must be a number, not {v!r}")
    if it["unit"] not in UNITS:
        errs.append(f"bad unit {it['unit']!r}")
    if it["qualifier"] not in QUALIFIERS:
        errs.append(f"bad qualifier {it['qualifier']!r}")
    if not isinstance(it["indicator"], str) or not it["indicator"].strip():
        errs.append("indicator must be a non-empty string")
    for f in ("subject", "locality"):
        if it[f] is not None and not isinstance(it[f], str):
            errs.append(f"{f} must be a string or null")
    p = it["period"]
    if p is not None and not (isinstance(p, str) and PERIOD.match(p)):
        errs.append(f"period must be YYYY, YYYY-MM, YYYY-MM-DD, YYYY/YYYY or null, not {p!r}")
    if "scope" in it and it["scope"] not in SCOPES:
        errs.append(f"bad scope {it['scope']!r}")
    if "measure" in it and it["measure"] not in MEASURES:
        errs.append(f"bad measure {it['measure']!r}")
    if it["unit"] == "percent" and "%" not in it["text"] and "phần trăm" not in it["text"]:
        errs.append("percent metric whose span has no % sign")
    return errs


def check_doc(doc, seen: set, require_v2: bool = False) -> tuple[list[str], Counter]:
    """Problems and per-list counts for one document."""
    errs, counts = [], Counter()
    did = doc.get("doc_id")
    if not isinstance(did, str) or not did:
        return ["missing doc_id"], counts
    if did in seen:
        errs.append("duplicate doc_id")
    seen.add(did)
    text = doc.get("text")
    if not isinstance(text, str) or not text:
        return errs + ["missing text"], counts
    if nfc(text) != text:
        errs.append("text is not NFC")
    if "published" in doc:
        try:
            datetime.fromisoformat(doc["published"])
        except (TypeError, ValueError):
            errs.append(f"published must be an ISO timestamp, not {doc.get('published')!r}")
    for f in DOC_STRINGS:
        if doc.get(f) is not None and (not isinstance(doc[f], str) or not doc[f].strip()):
            errs.append(f"{f} must be a non-empty string or null when present")
    for name in LISTS:
        items = doc.get(name)
        if not isinstance(items, list):
            errs.append(f"{name}: missing list")
            continue
        for i, it in enumerate(items):
            for e in check_item(name, it, text, require_v2):
                errs.append(f"{name}[{i}] {e}")
            if isinstance(it, dict):
                counts[(name, bool(it.get("optional")))] += 1
                if name == "metrics" and not it.get("optional"):
                    counts[("measure", it.get("measure"))] += 1
                    counts[("scope", it.get("scope"))] += 1
    return [f"{did}: {e}" for e in errs], counts


def check_file(path: str, require_v2: bool = False) -> tuple[list[str], Counter, int]:
    errs, total, ndocs, seen = [], Counter(), 0, set()
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except ValueError as e:
                errs.append(f"line {lineno}: invalid JSON ({e})")
                continue
            if not isinstance(doc, dict):
                errs.append(f"line {lineno}: not an object")
                continue
            derrs, counts = check_doc(doc, seen, require_v2)
            errs += derrs
            total += counts
            ndocs += 1
    return errs, total, ndocs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--require-v2", action="store_true",
                    help="every metric must carry scope and measure")
    ap.add_argument("--stats", action="store_true",
                    help="also print required metrics per measure and per scope")
    a = ap.parse_args(argv)
    bad = 0
    for path in a.files:
        try:
            errs, counts, ndocs = check_file(path, a.require_v2)
        except OSError as e:
            print(f"{path}: {e}", file=sys.stderr)
            bad += 1
            continue
        for e in errs:
            print(f"{path}: {e}", file=sys.stderr)
        bad += len(errs)
        summary = "  ".join(f"{n} {counts[(n, False)]}+{counts[(n, True)]}opt" for n in LISTS)
        print(f"{path}: {ndocs} docs  {summary}  {'OK' if not errs else f'{len(errs)} problem(s)'}")
        if a.stats:
            for field in ("measure", "scope"):
                per = sorted(((str(k[1]), n) for k, n in counts.items() if k[0] == field),
                             key=lambda kv: -kv[1])
                print(f"  metrics per {field}: " + ", ".join(f"{k} {n}" for k, n in per))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
