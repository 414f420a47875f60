"""Figures (nlp.metrics): values, filters, qualifier, indicator, period, locality."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.directives import find_directives
from nlp.metrics import find_metrics, indicator_key
from nlp.text import clean

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def figs(text: str, entities=None, published=None, province="Thái Bình") -> list[dict]:
    return find_metrics(text, [], entities or [], find_directives(text, published),
                        published=published, doc_province=province)


def values(text: str, **kw) -> list[tuple]:
    return [(f["value"], f["unit"]) for f in figs(text, **kw)]


def test_counts_and_percents():
    text = "Đảng bộ huyện có 1.245 đảng viên, 38 chi bộ; tỷ lệ đảng viên dự sinh hoạt đạt 92,5%."
    assert values(text) == [(1245, "count"), (38, "count"), (92.5, "percent")]
    f = figs(text)
    assert [x["indicator"] for x in f] == ["đảng viên", "chi bộ", "đảng viên dự sinh hoạt"]
    assert all(text[x["start"]:x["end"]] == x["text"] for x in f)
    assert f[0]["text"] == "1.245 đảng viên" and f[2]["text"] == "92,5%"


def test_multiplier_and_words():
    assert values("Tỉnh có gần 12 nghìn đảng viên.") == [(12000, "count")]
    assert values("Xã là một trong hai Đảng bộ được khen.") == [(2, "count")]
    assert values("Hai là, đổi mới sinh hoạt chi bộ.") == []


@pytest.mark.parametrize("text", [
    "Ngày 3-2-2024, chi bộ họp.", "Tháng 9-2018, chi bộ đại hội.", "Năm 2017, phường được khen.",
    "Sau 3 năm thực hiện, chi bộ có chuyển biến.", "Thực hiện Chỉ thị 05-CT/TW của Bộ Chính trị.",
    "Nghị quyết Đại hội 13 của Đảng.", "Đại hội lần thứ 10 thành công.", "Chương trình số 01 của Thành ủy.",
    "Chi bộ khu phố 4 họp lúc 8 giờ.", "Đường dây nóng: 0292.3820.000.", "nhiệm kỳ 2020-2025",
    "Chi bộ ấp Tân Lộc 1 đổi cách họp.", "Đảng viên dưới 30 tuổi.", "(10/10/1954-10/10/2024)",
])
def test_not_figures(text):
    assert figs(text) == []


@pytest.mark.parametrize("text, qualifier", [
    ("Huyện có gần 900 đảng viên.", "approx"), ("Huyện có khoảng 900 đảng viên.", "approx"),
    ("Huyện có trên 900 đảng viên.", "gt"), ("Huyện có hơn 900 đảng viên.", "gt"),
    ("Huyện còn dưới 9 chi bộ yếu kém.", "lt"), ("Huyện có 900 đảng viên.", "exact"),
    ("Huyện phấn đấu kết nạp 120 đảng viên mới.", "target"),
    ("Chọn chi bộ có từ 50 đảng viên trở lên.", "gt"),
])
def test_qualifier(text, qualifier):
    assert figs(text)[0]["qualifier"] == qualifier


def test_acronyms_written_out_and_indicator_key():
    (f,) = figs("Năm 2022, toàn tỉnh có 31,5% TCCSĐ hoàn thành xuất sắc nhiệm vụ.")
    assert f["indicator"] == "tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ"
    assert f["indicator_key"] == "tccsd_htxs" and f["period"] == "2022" and f["period_source"] == "text"
    assert indicator_key("TCCSĐ") == indicator_key("tổ chức đảng cơ sở") == "to_chuc_co_so_dang"
    assert indicator_key("kết nạp đảng viên mới") == indicator_key("đảng viên mới kết nạp")
    assert indicator_key("Tổ chức cơ sở Đảng") == "to_chuc_co_so_dang"
    assert indicator_key("xyz") is None and indicator_key("") is None


def test_percent_of_what():
    text = "Số đảng viên nữ chiếm 41,2% tổng số đảng viên; trong đó 120 người là giáo viên (chiếm 12%)."
    f = figs(text)
    assert f[0]["indicator"] == "đảng viên nữ"
    assert f[-1]["indicator"] == f[-2]["indicator"]


def test_ratio_keeps_denominator():
    (f,) = figs("Năm 2023 có 15/18 chi bộ hoàn thành tốt nhiệm vụ.")
    assert (f["value"], f["denominator"], f["unit"]) == (15, 18, "count")


@pytest.mark.parametrize("text, period", [
    ("Từ đầu năm 2019 đến hết tháng 10, các đảng bộ kết nạp 87 đảng viên.", "2019-10"),
    ("Từ ngày 1/7 đến nay, Đảng ủy phường kết nạp 14 đảng viên.", "2025"),
    ("Sáng 1/9, Đảng ủy phường trao Huy hiệu Đảng cho 58 đảng viên.", "2025-09-01"),
    ("Tính đến hết quý I/2013, toàn Đảng bộ có 787 tổ chức cơ sở đảng.", "2013-03"),
    ("Trong 6 tháng đầu năm, toàn tỉnh kết nạp 603 đảng viên.", "2025-06"),
    # a comparison baseline dates nothing else; the year of a target names the target
    ("Năm 2023, toàn huyện kết nạp 231 đảng viên, tăng 19 đồng chí so với năm 2022.", "2023"),
    ("Tính đến ngày 30-6, đã kết nạp 288 đảng viên, bằng 35,34% chỉ tiêu năm 2025.", "2025-06-30"),
])
def test_period_flows_days_quarters_and_baselines(text, period):
    assert {f["period"] for f in figs(text, published="2025-09-03")} == {period}


def test_period_rules():
    text = ("Tính đến hết tháng 6-2023, Đảng bộ có 520 đảng viên (năm 2020 là 470). "
            "Trong đó có 60 đảng viên trẻ. Nhiệm kỳ 2020-2025 phấn đấu có 90% chi bộ tốt.")
    f = figs(text)
    assert [x["period"] for x in f] == ["2023-06", "2020", "2023-06", "2020/2025"]
    now = figs("Đảng bộ hiện có 46 chi bộ.", published="2024-03-08")[0]
    assert (now["period"], now["period_source"]) == ("2024-03-08", "published")
    assert figs("Đảng bộ có 46 chi bộ.", published="2024-03-08")[0]["period"] == "2024-03-08"
    assert figs("Đảng bộ hiện có 46 chi bộ.")[0]["period"] is None
    # no published date: the page's own date line dates the figures without a time
    lined = figs("Kết nạp đảng viên\n- 16/10/2020 02:48:00 AM\nĐảng bộ hiện có 46 chi bộ.")[0]
    assert lined["period"] == "2020-10-16"


def test_subject_and_locality_from_entities_and_merger():
    text = "Huyện Tân Yên có 2.100 đảng viên. Toàn tỉnh có 70.000 đảng viên."
    ents = [{"label": "LOC", "text": "Huyện Tân Yên", "start": 0, "end": 13, "norm": "huyện Tân Yên",
             "province": "Bắc Giang", "province_2025": "Bắc Ninh"}]
    before = figs(text, entities=ents, published="2020-01-01", province="Bắc Giang")
    assert before[0]["subject"] == "huyện Tân Yên" and before[0]["locality"] == "Bắc Giang"
    after = figs(text, entities=ents, published="2025-09-01", province="Bắc Giang")
    assert after[0]["locality"] == "Bắc Ninh"
    assert figs("Toàn Đảng có 5,6 triệu đảng viên.", province="Hà Nội")[0]["locality"] is None


@pytest.mark.parametrize("bad", ["", "   ", "abc def", "12345", None, 7])
def test_bad_input(bad):
    assert find_metrics(bad, [], [], []) == []


def _seed(name: str) -> str:
    path = SHARED / "corpus" / "seeds" / name
    if not path.exists():
        pytest.skip("shared seeds not available")
    return clean(path.read_text(encoding="utf-8"))


def test_dev_gold_values_and_indicators():
    gold_path = SHARED / "eval" / "dev.jsonl"
    if not gold_path.exists():
        pytest.skip("shared dev gold not available")
    tp = fp = fn = ind_ok = 0
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        got = figs(_seed(gold["source_file"]))
        free = list(got)
        for g in gold["metrics"]:
            hit = next((s for s in free if abs(s["value"] - g["value"]) < 1e-6 and s["unit"] == g["unit"]), None)
            if hit:
                free.remove(hit)
                tp += not g["optional"]
                ind_ok += not g["optional"] and set(g["indicator"].lower().split()) & set(hit["indicator"].lower().split()) != set()
            else:
                fn += not g["optional"]
        fp += sum(1 for s in free if not any(abs(s["value"] - g["value"]) < 1e-6 for g in gold["metrics"]))
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.9 and ind_ok / tp >= 0.8


from hypothesis import given, settings, strategies as st  # noqa: E402

_ALPHABET = st.sampled_from(list("0123456789.,%/-() ;:\nđĐăâêôơưàáảãạ") + [
    "đảng viên", " chi bộ", "năm ", "tháng ", "ngày ", "gần ", "trên ", "tỷ lệ ", "Chỉ thị ",
    "-CT/TW", "(năm ", " là ", "TCCSĐ", "hiện có ", "nghìn", " triệu", "số ", "phấn đấu "])


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_never_raises_and_offsets_hold(text):
    for f in find_metrics(text, [(0, len(text))], [], find_directives(text), published="2024-01-02"):
        assert text[f["start"]:f["end"]] == f["text"] and f["unit"] in ("count", "percent")
        assert f["qualifier"] in ("exact", "approx", "gt", "lt", "target")
    for d in find_directives(text):
        assert text[d["start"]:d["end"]] == d["text"]


def test_rating_and_share_of_previous():
    f = figs("Năm 2023 có 95,6% TCCSĐ được xếp loại hoàn thành tốt nhiệm vụ trở lên.")[0]
    assert f["indicator_key"] == "tccsd_htt_tro_len"
    f = figs("Trung tâm tiếp nhận 3.412 hồ sơ, trong đó 97,6% được giải quyết đúng hạn.")
    assert f[1]["indicator"] == f[0]["indicator"] == "hồ sơ"


def test_central_bodies_are_not_subjects():
    text = "Thực hiện Quy định 96-QĐ/TW của Bộ Chính trị, huyện lấy phiếu đối với 126 cán bộ."
    ents = [{"label": "ORG", "text": "Bộ Chính trị", "start": 32, "end": 44, "norm": "Bộ Chính trị"}]
    assert text[32:44] == "Bộ Chính trị"
    assert figs(text, entities=ents, province="An Giang")[0]["locality"] == "An Giang"


def test_period_from_bracketed_span():
    (f,) = figs("Trong 5 năm (2016-2020), tỉnh kết nạp 3.100 đảng viên.")
    assert f["period"] == "2016/2020"


def test_indicator_key_accepts_folded_and_canonical_forms():
    assert indicator_key("dang vien") == indicator_key("đảng viên") == "dang_vien"
    assert indicator_key("to_chuc_co_so_dang") == "to_chuc_co_so_dang"
    assert indicator_key("đảng viên của tỉnh") == "dang_vien"


@pytest.mark.parametrize("text, published, period", [
    # a time expression in the figure's own clause beats one in an earlier clause
    ("Đến cuối năm 2023, số bản chưa có đảng viên giảm còn 6 bản; riêng huyện Kỳ Sơn kết nạp được "
     "1.146 đảng viên trong giai đoạn 2019-2023.", None, "2019/2023"),
    # a running total since the start of a named term holds for the term; of an unnamed term, the
    # term running at publication (every committee's term ends in a year ending in 0 or 5), and
    # nothing when the publication date is unknown
    ("Từ đầu nhiệm kỳ 2020-2025 đến tháng 10/2022, tỉnh đã thi hành kỷ luật 143 đảng viên.", None, "2020/2025"),
    ("Từ đầu nhiệm kỳ đến nay, huyện kết nạp 187 đảng viên mới.", "2021-11-10", "2020/2025"),
    ("Từ đầu nhiệm kỳ đến nay, xã kết nạp 41 đảng viên mới.", "2025-11-20", "2025/2030"),
    ("Từ đầu nhiệm kỳ đến nay, huyện kết nạp 187 đảng viên mới.", None, None),
    # 'đầu nhiệm kỳ' is its first year, 'cuối nhiệm kỳ' its last
    ("Đầu nhiệm kỳ 2020-2025, huyện còn 14 thôn chưa có đảng viên.", None, "2020"),
    ("Phấn đấu đến cuối nhiệm kỳ 2020-2025 có 95% chi bộ trong sạch, vững mạnh.", None, "2025"),
    # a span of months within a year is the year
    ("Từ tháng 7 đến tháng 9-2025, các xã kết nạp 172 đảng viên mới.", "2025-09-26", "2025"),
    # a month without a year is read against the publication date
    ("Đến giữa tháng 9, 100% chi bộ đã sinh hoạt theo mô hình mới.", "2025-09-18", "2025-09"),
    # a target year
    ("Tỉnh phấn đấu đến năm 2026 có trên 95% chi bộ sử dụng biên bản điện tử.", None, "2026"),
])
def test_period_rules_stated_time(text, published, period):
    assert figs(text, published=published)[-1]["period"] == period


def test_period_after_figure_only_when_close():
    # a trailing time closing the figure's phrase is its own ...
    f = figs("Có 7 tổ chức cơ sở đảng chưa cụ thể hóa nội dung làm theo vào chương trình công tác năm 2020.")
    assert f[0]["period"] == "2020"
    # ... one behind a comma belongs to something else (here: nothing stated, published year)
    f = figs("Đảng bộ hiện có 17 đảng bộ trực thuộc. Tại hội nghị, Ủy ban Kiểm tra đã khen thưởng 8 tập thể và "
             "15 cá nhân có thành tích xuất sắc trong công tác kiểm tra, giám sát giai đoạn 2020-2022.",
             published="2022-11-08")
    assert [x["period"] for x in f] == ["2022-11-08", "2022-11-08", "2022-11-08"]


def test_period_carried_from_sentence_opening_year():
    text = ("Năm 2021, Tỉnh ủy đã ban hành Kế hoạch số 12-KH/TU để triển khai. Ban Tuyên giáo tổ chức "
            "cuộc thi trực tuyến, thu hút hơn 35 nghìn lượt người dự thi.\n"
            "Đến cuối năm 2021, 98% diện tích đã được bàn giao. Khu tái định cư đã bố trí đất cho 3.800 hộ.")
    f = figs(text)
    assert [(x["value"], x["period"]) for x in f][:2] == [(35000, "2021"), (98, "2021")]
    # 'Đến cuối năm 2021' does not open a frame; the 3.800 figure only inherits its neighbour's period
    assert f[-1]["value"] == 3800
