"""Batch extraction: streaming JSONL/txt input, order, skipped lines, pool == in-process."""
from __future__ import annotations

import json

from nlp.batch import extract_file, extract_records, iter_input, parse_line

TEXTS = [
    "Đảng ủy xã Tân Lập yêu cầu các chi bộ gửi lịch sinh hoạt về văn phòng trước ngày 20 hằng tháng.",
    "Đảng bộ huyện có 3.412 đảng viên sinh hoạt ở 96 chi bộ.",
    "Thực hiện Chỉ thị 05-CT/TW, Huyện ủy Yên Thế tổ chức cho mỗi đảng viên đăng ký một việc làm theo Bác.",
    "Một câu ngắn.",
]


def _write_input(path, n_good: int = 6) -> list[str]:
    ids = []
    with path.open("wb") as fh:
        for i in range(n_good):
            ids.append(f"d{i:02d}")
            rec = {"doc_id": ids[-1], "text": TEXTS[i % len(TEXTS)], "published": "2024-01-0%d" % (i % 9 + 1)}
            fh.write(json.dumps(rec, ensure_ascii=False).encode() + b"\n")
            if i == 2:
                fh.write(b"{not json\n\n")
                fh.write(b'{"doc_id": "x"}\n')
                fh.write(b'["a list"]\n')
                fh.write(b'{"doc_id": "y", "text": "   "}\n')
                fh.write(b'\xff\xfe\xfa\n')
                fh.write(b'{"text": "no id"}\n')
    return ids


def test_parse_line_reasons():
    assert parse_line(b"   \n") == (None, None)
    assert parse_line(b"{bad")[1] == "bad_json"
    assert parse_line(b"\xff\xfe")[1] == "bad_encoding"
    assert parse_line(b"1")[1] == "not_an_object"
    assert parse_line(b'{"doc_id": 7, "text": "x"}')[0]["doc_id"] == "7"


def test_extract_file_pool(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = _write_input(src)
    stats = extract_file(src, out, workers=2, progress=False)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [d["doc_id"] for d in lines] == ids
    assert stats["docs"] == len(ids)
    assert stats["skipped"] == {"bad_json": 1, "no_text": 1, "not_an_object": 1, "empty_text": 1,
                                "bad_encoding": 1, "no_doc_id": 1}
    for key in ("entities", "directives", "metrics", "practices"):
        assert stats[key] == sum(len(d[key]) for d in lines)
    assert any(d["practices"] for d in lines)
    serial = tmp_path / "serial.jsonl"
    extract_file(src, serial, workers=1, progress=False)
    assert serial.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*.part"))


def test_txt_file_and_directory(tmp_path, capsys):
    d = tmp_path / "docs"
    d.mkdir()
    for i, t in enumerate(TEXTS[:3]):
        (d / f"b{i}.txt").write_text(t, encoding="utf-8")
    (d / "empty.txt").write_text("  ", encoding="utf-8")
    assert [r["doc_id"] for r, _ in iter_input(d) if r] == ["b0", "b1", "b2"]
    stats = extract_file(d, tmp_path / "o.jsonl", workers=1, progress=True)
    assert stats["docs"] == 3 and stats["skipped"] == {"empty_text": 1}
    assert "extracted 3 docs" in capsys.readouterr().err
    one = extract_file(d / "b1.txt", tmp_path / "one.jsonl", workers=1, progress=False)
    assert one["docs"] == 1


def test_extract_records_in_process():
    recs = [{"doc_id": f"r{i}", "text": t} for i, t in enumerate(TEXTS)] + [{"doc_id": "bad"}]
    out = list(extract_records(recs, workers=1))
    assert [o["doc_id"] for o in out] == ["r0", "r1", "r2", "r3"]
    assert all(o["text"] == TEXTS[0][o["start"]:o["end"]] for o in out[0]["practices"])
