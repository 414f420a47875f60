"""Hand-made articles and extractions for knowledge-base tests (offsets computed, never typed)."""
from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


def articles() -> list[dict]:
    rows = []
    for line in (DATA / "articles_small.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            pass
    return rows


def span(text: str, needle: str, **extra) -> dict:
    start = text.index(needle)
    return {"text": needle, "start": start, "end": start + len(needle), **extra}


def extraction(art: dict) -> dict:
    t, doc = art["text"], art["doc_id"]
    if doc == "t1":
        return {"doc_id": doc, "province": "Bắc Giang",
                "entities": [span(t, "Đảng bộ tỉnh Bắc Giang", label="ORG", norm="Đảng bộ tỉnh Bắc Giang", province="Bắc Giang", province_2025="Bắc Ninh"),
                             span(t, "Huyện ủy Tân Yên", label="ORG", norm="Huyện ủy Tân Yên", province="Bắc Giang", province_2025="Bắc Ninh")],
                "directives": [],
                "metrics": [span(t, "70.100 đảng viên", value=70100, unit="count", qualifier="exact", indicator="đảng viên",
                                 subject="Đảng bộ tỉnh Bắc Giang", locality="Bắc Giang", period="2023",
                                 scope="province", measure="total"),
                            span(t, "4.000 chi bộ", value=4000, unit="count", qualifier="exact", indicator="chi bộ",
                                 subject="Đảng bộ tỉnh Bắc Giang", locality="Bắc Giang", period="2023",
                                 scope="province", measure="total")],
                "practices": [span(t, "Huyện ủy Tân Yên thí điểm mô hình sinh hoạt chi bộ theo chuyên đề mỗi quý.", category="sinh_hoat_chi_bo")]}
    if doc == "t2":
        return {"doc_id": doc, "province": "Nam Định",
                "entities": [span(t, "Ủy ban Kiểm tra Tỉnh ủy Nam Định", label="ORG", norm="Ủy ban Kiểm tra Tỉnh ủy Nam Định", province="Nam Định", province_2025="Ninh Bình")],
                "directives": [span(t, "Chỉ thị 05-CT/TW", kind="CT", number=5, issuer="TW", key="05-CT/TW", term="XII", date=None)] if "Chỉ thị 05-CT/TW" in t else [],
                "metrics": [span(t, "105.000 đảng viên", value=105000, unit="count", qualifier="exact", indicator="đảng viên",
                                 subject="Đảng bộ tỉnh Nam Định", locality="Nam Định", period="2022",
                                 scope="province", measure="total")],
                "practices": []}
    return {"doc_id": doc, "province": None, "entities": [], "directives": [], "metrics": [],
            "practices": [span(t, "Sổ tay đảng viên điện tử được triển khai ở nhiều nơi.", category="chuyen_doi_so")]}


def pairs() -> list[tuple[dict, dict]]:
    return [(a, extraction(a)) for a in articles()]
