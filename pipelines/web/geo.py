"""Coordinates of provinces (before and after the 2025 merger), districts and communes, from the
dataset the `vietnamadminunits` package ships (its `data/dataset.db`: centroids geocoded by that
package's authors), matched on tone-folded names without their type words (`huyện`, `phường`…)."""
from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from pathlib import Path

from nlp.text import fold

TYPE_WORDS = ("thanh pho", "thi xa", "thi tran", "tinh", "tp", "quan", "huyen", "xa", "phuong", "dac khu")
ALIASES = {"thua thien hue": "hue", "tphcm": "ho chi minh", "hcm": "ho chi minh", "ba ria vung tau": "ba ria vung tau"}


@lru_cache(maxsize=1 << 16)
def key(name: str | None) -> str:
    """'Huyện Chợ Mới' → 'cho moi', 'TP. Hồ Chí Minh' → 'ho chi minh'."""
    if not name:
        return ""
    k = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name)).split())
    changed = True
    while changed:
        changed = False
        for w in TYPE_WORDS:
            if k.startswith(w + " "):
                k, changed = k[len(w) + 1:], True
    return ALIASES.get(k, k)


def _dataset() -> Path | None:
    from importlib.util import find_spec

    spec = find_spec("vietnamadminunits")      # located, not imported (its import parses much)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "dataset.db"
    return path if path.exists() else None


@lru_cache(maxsize=1)
def tables() -> dict:
    """{'province': {key: (lat, lon)}, 'province_2025': {...}, 'district': {(prov, dist): ...},
    'commune': {(prov, dist, commune): ...}, 'commune_in_province': {(prov, commune): ... or None}}."""
    out = {"province": {}, "province_2025": {}, "district": {}, "commune": {}, "commune_in_province": {},
           "names": {}}
    path = _dataset()
    if path is None:
        return out
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for p, plat, plon, d, dlat, dlon, w, wlat, wlon in con.execute(
                "SELECT provinceShort, provinceLat, provinceLon, districtShort, districtLat, districtLon, "
                "wardShort, wardLat, wardLon FROM admin_units_legacy"):
            pk, dk, wk = key(p), key(d), key(w)
            out["province"].setdefault(pk, (plat, plon))
            out["names"].setdefault(pk, p)
            if dlat is not None:
                out["district"].setdefault((pk, dk), (dlat, dlon))
            if wlat is not None:
                out["commune"].setdefault((pk, dk, wk), (wlat, wlon))
                _unique(out["commune_in_province"], (pk, wk), (wlat, wlon))
        for p, plat, plon, w, wlat, wlon in con.execute(
                "SELECT provinceShort, provinceLat, provinceLon, wardShort, wardLat, wardLon FROM admin_units"):
            pk, wk = key(p), key(w)
            out["province_2025"].setdefault(pk, (plat, plon))
            if wlat is not None:
                _unique(out["commune_in_province"], ("2025:" + pk, wk), (wlat, wlon))
    finally:
        con.close()
    return out


def _unique(table: dict, k, value) -> None:
    table[k] = value if k not in table else None      # a name twice in a province: no point


def province(name: str | None, after_2025: bool = False) -> tuple[float, float] | None:
    t = tables()
    k = key(name)
    return t["province_2025" if after_2025 else "province"].get(k) or t["province"].get(k) or t["province_2025"].get(k)


def place(province_name: str | None, district: str | None = None, commune: str | None = None,
          province_2025: str | None = None) -> tuple[tuple[float, float] | None, str]:
    """The finest point known for a place: ((lat, lon), level) with level commune, district or
    province; (None, '') when nothing is known."""
    t = tables()
    pk, dk, ck = key(province_name), key(district), key(commune)
    if ck:
        pt = (t["commune"].get((pk, dk, ck)) if dk else None) or t["commune_in_province"].get((pk, ck)) \
            or t["commune_in_province"].get(("2025:" + key(province_2025 or province_name), ck))
        if pt:
            return pt, "commune"
    if dk:
        pt = t["district"].get((pk, dk))
        if pt:
            return pt, "district"
    pt = province(province_name) or (province(province_2025, after_2025=True) if province_2025 else None)
    return (pt, "province") if pt else (None, "")


def outline() -> list[tuple[float, float]]:
    """Every pre-2025 province centroid: faint context dots that draw the country's shape."""
    return list(tables()["province"].values())
