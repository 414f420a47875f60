"""Build data/reference/places.csv from the `vietnamadminunits` package (MIT).

    python scripts/build_gazetteer.py [--out data/reference/places.csv]

Rows: the 63 pre-merger provinces, their districts and wards (era ``legacy``) and the
3,321 wards/communes of the 34 post-merger provinces (era ``2025``). Columns:
name, type, level, province (pre-merger short name; ``|``-joined when a 2025 ward spans
several), province_2025, district (legacy parent), era. The runtime reads only the CSV.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ["name", "type", "level", "province", "province_2025", "district", "era"]
# vietnamadminunits already names Thừa Thiên Huế by its 2025-01 name; we keep the old one.
OLD_NAME_FIX = {"Huế": "Thừa Thiên Huế"}


def _package_data() -> Path:
    import vietnamadminunits
    return Path(vietnamadminunits.__file__).parent / "data"


def _rows(sql: str) -> list[sqlite3.Row]:
    with sqlite3.connect(_package_data() / "dataset.db") as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql).fetchall()


def _short_ward(short: str, wtype: str | None) -> str:
    """'Phường 1' → '1', 'Quận 3' → '3' (numbered units are named by their number)."""
    m = re.fullmatch(r"(?:Phường|Xã|Thị trấn|Quận)\s+(\d+)", short or "")
    return m.group(1) if m else short


def province_maps() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(old key → old short, new key → new short, old key → new key)."""
    old = {r["provinceKey"]: OLD_NAME_FIX.get(r["provinceShort"], r["provinceShort"])
           for r in _rows("select distinct provinceKey, provinceShort from admin_units_legacy")}
    new = {r["provinceKey"]: r["provinceShort"]
           for r in _rows("select distinct provinceKey, provinceShort from admin_units")}
    conv = json.loads((_package_data() / "converter_2025.json").read_text(encoding="utf-8"))
    old2new = {o: n for n, olds in conv["DICT_PROVINCE"].items() for o in olds}
    return old, new, old2new


def legacy_rows(old: dict, new: dict, old2new: dict) -> list[dict]:
    out, seen = [], set()
    for r in _rows("select * from admin_units_legacy"):
        prov, prov25 = old[r["provinceKey"]], new[old2new[r["provinceKey"]]]
        city = r["province"].startswith("Thành phố") and prov not in OLD_NAME_FIX.values()
        ptype = "Thành phố" if city else "Tỉnh"
        items = [
            (prov, ptype, "province", ""),
            (_short_ward(r["districtShort"], r["districtType"]), r["districtType"], "district", ""),
        ]
        if r["wardShort"]:
            items.append((_short_ward(r["wardShort"], r["wardType"]), r["wardType"], "ward",
                          _short_ward(r["districtShort"], r["districtType"])))
        for name, typ, level, district in items:
            key = (name, typ, level, prov, district)
            if key not in seen:
                seen.add(key)
                out.append({"name": name, "type": typ, "level": level, "province": prov,
                            "province_2025": prov25, "district": district, "era": "legacy"})
    return out


def new_ward_provinces(old: dict) -> dict[tuple[str, str], set[str]]:
    """(new province key, new ward key) → pre-merger provinces the ward was made from."""
    conv = json.loads((_package_data() / "converter_2025.json").read_text(encoding="utf-8"))
    out: dict[tuple[str, str], set[str]] = {}
    for nprov, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for nward, olds in wards.items():
            out.setdefault((nprov, nward), set()).update(old[o.split("_")[0]] for o in olds)
    for nprov, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for oldkey, targets in olds.items():
            for t in targets:
                out.setdefault((nprov, t["newWardKey"]), set()).add(old[oldkey.split("_")[0]])
    return out


def new_rows(old: dict, new: dict) -> list[dict]:
    origin = new_ward_provinces(old)
    out = []
    for r in _rows("select * from admin_units"):
        provs = sorted(origin.get((r["provinceKey"], r["wardKey"]), set()))
        out.append({"name": _short_ward(r["wardShort"], r["wardType"]), "type": r["wardType"],
                    "level": "ward", "province": "|".join(provs),
                    "province_2025": new[r["provinceKey"]], "district": "", "era": "2025"})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "data" / "reference" / "places.csv"))
    args = ap.parse_args()
    old, new, old2new = province_maps()
    rows = legacy_rows(old, new, old2new) + new_rows(old, new)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    levels = {lv: sum(1 for r in rows if r["level"] == lv) for lv in ("province", "district", "ward")}
    print(f"wrote {len(rows)} rows to {args.out}: {levels}")


if __name__ == "__main__":
    main()
