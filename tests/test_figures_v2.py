"""Contract v2 figures through the whole extractor: scope, measure, implicit places (outlet,
headline, body the article opens with), the 2025 merger, periods of real-style prose."""
from __future__ import annotations

import pytest

from nlp import extract


def figures(text: str, **context) -> list[dict]:
    return extract(text, doc_id="t", **context)["metrics"]


def one(text: str, value, **context) -> dict:
    return next(m for m in figures(text, **context) if m["value"] == value)


@pytest.mark.parametrize("text, value, measure", [
    ("Đảng bộ tỉnh hiện có 78.047 đảng viên.", 78047, "total"),
    ("Năm 2023, toàn tỉnh kết nạp 1.684 đảng viên mới.", 1684, "new"),
    ("Ủy ban Kiểm tra Tỉnh ủy đã kiểm tra 86 tổ chức đảng.", 86, "inspected"),
    ("Các cấp ủy đã thi hành kỷ luật 94 đảng viên.", 94, "disciplined"),
    ("Có 91,2% tổ chức cơ sở đảng được xếp loại hoàn thành tốt nhiệm vụ.", 91.2, "rated"),
    ("Tỉnh ủy trao tặng Huy hiệu Đảng cho 640 đảng viên.", 640, "awarded"),
    ("Toàn tỉnh có 104.530 đảng viên học tập, quán triệt nghị quyết.", 104530, "trained"),
    ("Đảng bộ có 755 tổ chức cơ sở đảng (tăng 3 tổ chức so với cuối năm 2017).", 3, "other"),
    # the list after an admissions count shares its measure
    ("Toàn tỉnh kết nạp 603 đảng viên mới; trong số này có 359 đồng chí là đảng viên nữ, 14 đồng chí là người dân tộc.", 14, "new"),
    # a stock restated after a change
    ("Sau khi hợp nhất, Đảng bộ thành phố Hải Phòng có hơn 225.000 đảng viên.", 225000, "total"),
])
def test_measure(text, value, measure):
    assert one(text, value, published="2024-05-01")["measure"] == measure


@pytest.mark.parametrize("text, value, scope", [
    ("Đảng bộ huyện Ninh Phước kết nạp được 52 đảng viên mới.", 52, "district"),
    ("Đảng ủy xã Phong Minh hiện có 312 đảng viên.", 312, "commune"),
    ("Đảng bộ Công an tỉnh kết nạp 21 đảng viên mới.", 21, "organization"),
    ("Đảng bộ xã Xuân Trường có 64 chi bộ.", 64, "commune"),          # 'Trường' is a place here
    ("Toàn Đảng hiện có hơn 5,6 triệu đảng viên.", 5_600_000, "country"),
    ("Đảng bộ TP.HCM hiện có khoảng 236.000 đảng viên.", 236000, "province"),
    ("Ủy ban kiểm tra các cấp đã kiểm tra 37 đảng viên.", 37, "province"),
])
def test_scope(text, value, scope):
    assert one(text, value, url="https://baoninhthuan.com.vn/a", published="2022-07-01")["scope"] == scope


def test_outlet_names_the_province_a_text_leaves_implicit():
    m = one("Toàn tỉnh hiện có 78.047 đảng viên.", 78047, url="https://www.baodongnai.com.vn/tin/a")
    assert (m["locality"], m["scope"]) == ("Đồng Nai", "province")
    # a national outlet has no home province
    assert one("Toàn tỉnh hiện có 78.047 đảng viên.", 78047, url="https://nhandan.vn/a")["locality"] is None


def test_after_the_merger_the_province_is_named_as_then():
    before = one("Đảng bộ xã Mai Châu hiện có 1.240 đảng viên.", 1240, published="2024-05-01")
    after = one("Đảng bộ xã Mai Châu hiện có 1.240 đảng viên.", 1240, published="2025-11-12")
    assert before["locality"] == "Hòa Bình" and after["locality"] == "Phú Thọ"
    paper = one("Toàn tỉnh kết nạp 1.200 đảng viên.", 1200, url="https://baobacninhtv.vn/x", published="2025-10-01")
    assert paper["locality"] == "Bắc Ninh"


def test_district_of_a_province_named_by_the_gazetteer():
    m = one("Đảng bộ huyện Đầm Dơi hiện có 6.500 đảng viên.", 6500, url="https://nhandan.vn/a")
    assert (m["locality"], m["scope"]) == ("Cà Mau", "district")


def test_region_is_no_province():
    assert one("Toàn vùng Tây Nguyên hiện có hơn 300.000 đảng viên.", 300000, url="https://nhandan.vn/a")["locality"] is None


def test_bare_party_committee_is_the_body_the_article_opens_with():
    text = ("Đảng bộ Khối các cơ quan tỉnh do Tỉnh ủy trực tiếp lãnh đạo. Đảng bộ gồm 66 tổ chức cơ sở "
            "đảng với 4.055 đảng viên.")
    m = one(text, 66, url="https://hatinh.dcs.vn/a", published="2020-10-16")
    assert (m["subject"], m["scope"], m["locality"]) == ("Đảng bộ Khối các cơ quan tỉnh", "organization", "Hà Tĩnh")


def test_headline_takes_the_period_of_the_body_figure_it_restates():
    text = ("Toàn tỉnh kết nạp 288 đảng viên\n"
            "Ban Tổ chức Tỉnh ủy cho biết, tính đến ngày 30-6-2022, toàn tỉnh đã kết nạp 288 đảng viên mới.")
    assert [m["period"] for m in figures(text, url="https://baoninhthuan.com.vn/a")] == ["2022-06-30"] * 2


def test_a_figure_without_time_holds_at_publication_or_the_date_line():
    assert one("Đảng bộ tỉnh có 403 tổ chức cơ sở đảng.", 403, published="2023-01-05")["period"] == "2023-01-05"
    lined = "Kết nạp đảng viên\nCập nhật lúc 22:38, Thứ Hai, 08/10/2018\nĐảng bộ tỉnh có 403 tổ chức cơ sở đảng."
    assert one(lined, 403)["period"] == "2018-10-08"


def test_not_places_and_not_documents():
    out = extract("Có 96 tổ chức cơ sở đảng ở doanh nghiệp ngoài khu vực Nhà nước, theo văn bản số 4912 của "
                  "Tỉnh ủy; Ủy ban kết luận 29 đảng viên có vi phạm.", doc_id="t")
    assert not [e for e in out["entities"] if e["label"] == "LOC"]
    assert not out["directives"]
    assert 29 in [m["value"] for m in out["metrics"]]


def test_a_body_acts_a_place_before_it_only_locates_it():
    m = one("Trên địa bàn huyện Mai Châu (cũ), Đảng ủy xã Mai Châu kết nạp 12 đảng viên mới.", 12,
            url="https://baophutho.vn/a", published="2025-11-12")
    assert (m["subject"], m["scope"], m["locality"], m["measure"]) == ("Đảng ủy xã Mai Châu", "commune", "Phú Thọ", "new")


def test_congress_results_hold_for_the_term_the_sentence_names():
    text = ("Tại đại hội các đảng bộ cấp huyện, 412 đồng chí đã được bầu vào ban chấp hành; các đại hội "
            "cũng bầu 198 đại biểu đi dự Đại hội Đảng bộ tỉnh, nhiệm kỳ 2025 - 2030.")
    assert one(text, 412, published="2025-08-20")["period"] == "2025/2030"
    # a resolution of a congress names no event: the figure keeps its own time
    text = "Năm 2022, Đảng bộ kết nạp 310 đảng viên, góp phần thực hiện Nghị quyết Đại hội Đảng bộ tỉnh nhiệm kỳ 2020-2025."
    assert one(text, 310, published="2023-01-05")["period"] == "2022"


def test_a_headline_below_page_debris_still_restates_the_body_figure():
    text = (".\n\nCả tỉnh kết nạp thêm 512 đảng viên\n\n.\n"
            "Trong 6 tháng đầu năm, toàn tỉnh đã kết nạp 512 đảng viên mới, trong đó có 230 đảng viên nữ.")
    assert [m["period"] for m in figures(text, published="2024-07-15") if m["value"] == 512] == ["2024-06", "2024-06"]


def test_people_elected_are_counted_by_their_seat():
    text = ("Các đại hội cấp huyện đã bầu 402 đồng chí vào ban chấp hành, 121 đồng chí vào ban thường vụ "
            "và 18 đồng chí giữ chức bí thư.")
    assert [(m["value"], m["indicator"]) for m in figures(text, published="2025-06-01")] == [
        (402, "ủy viên ban chấp hành"), (121, "ủy viên ban thường vụ"), (18, "bí thư")]


def test_a_stock_told_within_a_governed_year_holds_at_the_governing_date():
    text = ("Tính đến ngày 15-8-2023, Đảng bộ tỉnh có 610 tổ chức cơ sở đảng.\n"
            "Từ đầu năm, các chi bộ đã kết nạp 1.120 đảng viên mới; nhờ đó, tổng số đảng viên toàn tỉnh "
            "được nâng lên 54.300 đảng viên.")
    periods = {m["value"]: m["period"] for m in figures(text, published="2023-09-01")}
    assert periods[1120] == "2023" and periods[54300] == "2023-08-15"


@pytest.mark.parametrize("text, value, period", [
    ("Trong 9 tháng năm 2025, cấp ủy các cấp đã kiểm tra 1.120 tổ chức đảng.", 1120, "2025-09"),
    ("Tuy vậy, trong nửa đầu năm vẫn còn 27 chi bộ thôn chưa kết nạp được đảng viên.", 27, "2024-06"),
    ("Từ đầu năm đến ngày 15/8/2024, các tổ chức đảng đã kết nạp 2.450 đảng viên.", 2450, "2024-08-15"),
    ("Từ đầu năm 2024 đến hết tháng 10, các đảng bộ kết nạp được 91 đảng viên.", 91, "2024-10"),
    ("Từ đầu năm 2024 đến nay, Đảng ủy xã đã kết nạp 16 đảng viên.", 16, "2024"),
    ("Tỷ lệ đảng viên trẻ năm 2023 đạt 60,2%, so với năm 2018 là 51,4%.", 51.4, "2018"),
    ("Tính đến ngày 30/6/2024, Đảng bộ có 87.640 đảng viên, tăng 1.215 đảng viên so với cuối năm 2023 (86.425 đảng viên).",
     86425, "2023"),
])
def test_periods_of_flows_half_years_and_baselines(text, value, period):
    assert one(text, value, published="2024-07-22")["period"] == period


def test_a_frame_stops_at_a_sentence_about_now_and_carries_a_half_year_opener():
    text = ("6 tháng đầu năm 2024, toàn tỉnh kết nạp 1.862 đảng viên mới.\n"
            "Đảng bộ huyện Quỳnh Lưu kết nạp 143 đảng viên, phần lớn ở các bản vùng cao.\n"
            "Tính đến ngày 15/7/2024, 120/120 đảng bộ xã đã hoàn thành đánh giá giữa kỳ. Đảng bộ xã A hiện có "
            "74 chi bộ trực thuộc. Trong khi đó, Đảng bộ xã B có 41 chi bộ.")
    periods = {m["value"]: m["period"] for m in figures(text, published="2024-07-22")}
    assert periods[143] == "2024-06" and periods[74] == "2024-07-22" and periods[41] == "2024-07-22"


def test_committee_members_and_a_verb_after_and():
    text = ("Bộ Chính trị chỉ định Ban Chấp hành Đảng bộ tỉnh khóa I gồm 71 đồng chí, Ban Thường vụ Tỉnh ủy gồm "
            "17 đồng chí. Ủy ban Kiểm tra Đảng ủy phường đã giám sát 12 chi bộ trực thuộc và thi hành kỷ luật 3 đảng viên.")
    got = {m["value"]: (m["indicator"], m["measure"]) for m in figures(text, published="2025-10-02")}
    assert got[71] == ("ủy viên Ban Chấp hành Đảng bộ tỉnh", "other")
    assert got[17] == ("ủy viên Ban Thường vụ Tỉnh ủy", "other")
    assert got[12][1] == "inspected" and got[3][1] == "disciplined"


def test_a_body_named_after_its_province_is_an_organization():
    text = "Riêng Đảng bộ Than Quảng Ninh hiện có 20.350 đảng viên, sinh hoạt tại 96 tổ chức cơ sở đảng."
    assert one(text, 20350, published="2024-07-22", url="https://baoquangninh.vn/a.html")["scope"] == "organization"


def test_a_share_in_an_aside_of_another_year_is_the_same_share():
    text = "Tỷ lệ tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ cao hơn năm trước (năm 2019 là 21,7%)."
    f = one(text, 21.7, published="2021-02-03")
    assert (f["indicator"], f["period"], f["measure"]) == ("tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ", "2019", "rated")


def test_list_items_count_what_the_list_head_counts_in_its_quarter():
    text = ("Trong quý III/2025, các tổ chức cơ sở đảng đã kết nạp 1.126 đảng viên mới. Các đảng bộ dẫn đầu "
            "trong quý gồm: - Xã Kế Sách: 24 đảng viên; - Phường Vị Thanh: 19 đảng viên. Tính chung 8 tháng "
            "năm 2025, Đảng bộ phường A kết nạp 27 đảng viên. Năm 2022, trung tâm chính trị mở 38 lớp với "
            "1.936 học viên; Thành phố Huế có số học viên đông nhất với 412 người.")
    got = {m["value"]: (m["period"], m["measure"]) for m in figures(text, published="2025-10-14")}
    assert got[24] == got[19] == ("2025-09", "new")
    assert got[27] == ("2025-08", "new") and got[412][1] == "trained"


def test_congress_article_election_results_and_the_coming_term():
    text = ("Đại hội đại biểu Đảng bộ xã An Phú lần thứ I, nhiệm kỳ 2025 - 2030\n"
            "Ngày 14/8, Đảng bộ xã An Phú khai mạc Đại hội, nhiệm kỳ 2025 - 2030. Trong nhiệm kỳ 2020 - 2025, "
            "các đảng bộ xã cũ đã kết nạp 164 đảng viên mới.\n"
            "Đại hội đã bầu 29 đồng chí vào Ban Chấp hành Đảng bộ xã. Nhiệm kỳ tới, Đảng bộ xã phấn đấu mỗi "
            "năm kết nạp ít nhất 45 đảng viên. Đảng bộ phấn đấu đến hết năm kết nạp đủ 50 đảng viên.")
    got = {m["value"]: m["period"] for m in figures(text, published="2025-08-14")}
    assert got[164] == "2020/2025" and got[29] == "2025/2030" and got[45] == "2025/2030" and got[50] == "2025"


def test_people_among_the_new_members_and_the_most_trainees():
    text = ("Trong số đảng viên mới có 281 đảng viên nữ và 39 người là học sinh trung học phổ thông. "
            "Thành phố Huế có số học viên đông nhất với 412 người.")
    got = {m["value"]: m["indicator"] for m in figures(text, published="2023-03-10")}
    assert got[39] == "học sinh trung học phổ thông" and got[412] == "học viên"


def test_averages_share_the_measure_and_what_remains_is_a_stock():
    text = ("Trong nhiệm kỳ, Đảng bộ tỉnh đã kết nạp 8.236 đảng viên mới, bình quân mỗi năm trên 1.600 đảng viên. "
            "Đảng ủy phường đã tiếp nhận 286 đảng viên chuyển sinh hoạt và sắp xếp lại còn 52 chi bộ trực thuộc.")
    got = {m["value"]: m["measure"] for m in figures(text, published="2025-09-18")}
    assert got[1600] == "new" and got[286] == "other" and got[52] == "total"


# ------------------------------------------------------------------ periods taught by real_l (session 9)
def _metrics(text: str, published: str) -> list[dict]:
    from nlp import extract

    return extract(text, doc_id="t", published=published)["metrics"]


def _periods(text: str, published: str) -> dict[str, str]:
    return {m["text"]: m["period"] for m in _metrics(text, published)}


def test_hien_before_a_verb_is_now_but_not_inside_thuc_hien():
    got = _periods("Đảng bộ phường được thành lập năm 2025. Đảng ủy phường hiện lãnh đạo 64 tổ chức đảng.\n"
                   "Trong năm 2024, các chi bộ thực hiện có hiệu quả 12 mô hình.", "2025-11-24T08:00:00+07:00")
    assert got["64 tổ chức đảng"] == "2025-11-24" and got["12 mô hình"] == "2024"


def test_months_past_date_their_sentence_only():
    got = _periods("Nhờ đó, 10 tháng qua đã kết nạp mới 31 đảng viên. Đảng bộ phường có 4.920 đảng viên.",
                   "2025-11-08T08:00:00+07:00")
    assert got["31 đảng viên"] == "2025-10" and got["4.920 đảng viên"] == "2025-11-08"


def test_whole_term_is_the_term_named_before():
    got = _periods("Ủy ban Kiểm tra tổng kết nhiệm kỳ 2020 - 2025.\nTính chung cả nhiệm kỳ, ủy ban kiểm tra các cấp "
                   "đã thi hành kỷ luật 1.046 đảng viên.", "2025-12-20T08:00:00+07:00")
    assert got["1.046 đảng viên"] == "2020/2025"


def test_members_the_delegates_represent_hold_that_day_the_delegates_the_term():
    got = _periods("Đại hội Đảng bộ xã Tân Lập lần thứ I, nhiệm kỳ 2025 - 2030\nTrong hai ngày 9 và 10/8, Đảng bộ xã "
                   "tổ chức Đại hội lần thứ I, nhiệm kỳ 2025 - 2030. Về dự có 180 đại biểu chính thức, đại diện cho "
                   "2.540 đảng viên của 61 tổ chức cơ sở đảng.", "2025-08-10T08:00:00+07:00")
    assert got["180 đại biểu chính thức"] == "2025/2030"
    assert got["2.540 đảng viên"] == "2025-08-10"


def test_ratings_hold_for_the_year_under_review():
    got = _periods("Phường Tân An tổng kết công tác xây dựng Đảng năm 2025\nĐảng bộ phường hiện có 52 tổ chức cơ sở "
                   "đảng. Việc kiểm điểm năm nay được tiến hành chặt chẽ.\nKết quả, 11 tổ chức cơ sở đảng hoàn thành "
                   "xuất sắc nhiệm vụ.", "2026-01-09T08:00:00+07:00")
    assert got["11 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ"] == "2025"


def test_a_year_ending_a_sentence_ends_it():
    from nlp.clauses import sentence_breaks

    text = "Đại hội nhiệm kỳ 2025 - 2030. Dự Đại hội có 250 đại biểu, đại diện cho 3.540 đảng viên.\n12. Nội dung"
    cuts = sentence_breaks(text)
    assert text.index("Dự") in [c + 1 for c in cuts] and not any(text[c - 3:c] == "12." for c in cuts)


def _facts(text: str, published: str, key: str) -> dict[str, str]:
    """``key`` of each figure, by the figure's number as written."""
    return {m["text"].split()[0]: m[key] for m in _metrics(text, published)}


def test_a_headline_period_dates_the_body_flows_told_without_a_time():
    text = ("Tân Phú: 6 tháng kỷ luật 9 đảng viên\nThứ Tư, 12/07/2023\n"
            "Ủy ban Kiểm tra Huyện ủy Tân Phú cho biết, toàn Đảng bộ huyện đã thi hành kỷ luật 9 đảng viên. "
            "Tính đến ngày 30/6/2023, Đảng bộ huyện có 6.120 đảng viên.\n"
            "Cấp ủy các cấp đã kiểm tra 21 tổ chức đảng khi có dấu hiệu vi phạm.")
    got = _facts(text, "2023-07-12T08:00:00+07:00", "period")
    assert got["9"] == "2023-06" and got["21"] == "2023-06"
    assert got["6.120"] == "2023-06-30"     # a stock keeps its date


def test_a_stock_date_is_carried_to_stocks_not_to_flows_a_flow_date_to_flows():
    got = _facts("Tính đến ngày 31/12/2024, toàn tỉnh có 90.210 đảng viên. Các huyện miền núi kết nạp 1.204 "
                 "đảng viên mới.", "2025-02-20T08:00:00+07:00", "period")
    assert got["1.204"] != "2024-12-31"
    got = _facts("Tính đến ngày 30/6, toàn tỉnh đã kết nạp 410 đảng viên mới. Trong đó, Đảng bộ huyện Tân Phú "
                 "kết nạp 38 đảng viên.", "2024-07-20T08:00:00+07:00", "period")
    assert got["38"] == "2024-06-30"


def test_the_year_under_review_and_a_difference_from_a_baseline():
    got = _facts("Năm qua, Đảng bộ thị xã thu đảng phí được 2,1 tỷ đồng. Cũng trong năm, toàn Đảng bộ kết nạp "
                 "57 đảng viên, nhiều hơn năm 2023 là 6 đảng viên.", "2025-01-15T08:00:00+07:00", "period")
    assert got["2,1"] == "2024" and got["57"] == "2024" and got["6"] == "2024"


def test_the_past_term_beside_the_new_terms_congress():
    got = _facts("Đại hội Đảng bộ huyện lần thứ XII, nhiệm kỳ 2020 - 2025 khai mạc sáng nay.\nNhiệm kỳ qua, "
                   "Đảng bộ huyện kết nạp được 940 đảng viên.", "2020-08-05T08:00:00+07:00", "period")
    assert got["940"] == "2015/2020"


def test_thi_xa_is_a_district_and_a_headline_district_is_the_articles_unit():
    got = _facts("Đảng bộ thị xã Hòa Thành có 3.200 đảng viên.", "2024-05-02T08:00:00+07:00", "scope")
    assert got["3.200"] == "district"
    got = _facts("Tân Phú: Kết nạp 52 đảng viên trong quý I\nCác chi bộ trong huyện đã kết nạp 52 đảng viên mới.",
                 "2024-04-10T08:00:00+07:00", "scope")
    assert set(got.values()) == {"district"}


def test_list_items_count_what_the_head_counts():
    text = ("Năm 2024, toàn Đảng bộ huyện thi hành kỷ luật 14 đảng viên với các hình thức:\n"
            "- Khiển trách: 8 đảng viên;\n- Cảnh cáo: 4 đảng viên;\n- Khai trừ: 2 đảng viên.\n"
            "Đợt này, Huyện ủy trao Huy hiệu Đảng cho 30 đảng viên, gồm:\n"
            "- Huy hiệu 50 năm tuổi Đảng: 12 đồng chí;\n- Huy hiệu 40 năm tuổi Đảng: 18 đồng chí.")
    got = _facts(text, "2025-01-20T08:00:00+07:00", "measure")
    assert got["8"] == got["2"] == "disciplined"
    assert got["12"] == got["18"] == "awarded"


def test_restated_targets_and_baselines_share_the_count_before_them():
    got = _facts("Nhiệm kỳ 2020 - 2025, Đảng bộ kết nạp 1.310 đảng viên, vượt 9% chỉ tiêu đại hội đề ra (chỉ tiêu "
                 "là 1.200 đảng viên); 6 tổ chức cơ sở đảng không hoàn thành nhiệm vụ (năm 2019 là 11 tổ chức).",
                 "2025-07-01T08:00:00+07:00", "measure")
    assert got["9%"] == got["1.200"] == "new" and got["11"] == got["6"] == "rated"


def test_training_whose_trainees_a_body_names_and_digital_counts():
    got = _facts("Quý II, Ủy ban Kiểm tra Tỉnh ủy sẽ mở lớp tập huấn cho 100% ủy viên ủy ban kiểm tra cấp xã. "
                 "Ban Tổ chức đã số hóa hồ sơ của 9.300 đảng viên.", "2025-03-02T08:00:00+07:00", "measure")
    assert got["100%"] == "trained" and got["9.300"] == "other"


def test_a_day_opening_a_sentence_frames_the_next_one_past_a_year_inside_it():
    got = _facts("Xã Tân Lập trao Huy hiệu Đảng\nSáng 3/2, Đảng ủy xã tổ chức Lễ trao Huy hiệu Đảng đợt 3/2 năm "
                 "2025.\nĐợt này, có 26 đảng viên được trao Huy hiệu Đảng. Dịp 3/2 năm nay, toàn tỉnh có 1.410 đảng "
                 "viên nhận Huy hiệu.", "2025-02-04T08:00:00+07:00", "period")
    assert got["26"] == "2025-02-03" and got["1.410"] == "2025-02-03"


def test_after_a_congress_its_term_does_not_date_what_follows():
    got = _facts("Sau Đại hội đại biểu Đảng bộ xã lần thứ I, nhiệm kỳ 2025 - 2030, Đảng ủy xã đã quán triệt Nghị "
                 "quyết Đại hội cho 100% đảng viên của 41 chi bộ.", "2025-10-20T08:00:00+07:00", "period")
    assert got["100%"] == "2025-10-20" and got["41"] == "2025-10-20"


def test_a_ward_a_headline_opens_with_is_the_articles_unit_but_not_a_venue_in_parentheses():
    got = _facts("Phường An Khánh: Gần dân từ việc nhỏ\n12/10/2025\nPhường An Khánh đã tiếp nhận 840 hồ sơ. Hằng tháng, "
                 "Đảng ủy phường tổ chức 2 buổi đối thoại với người dân.", "2025-10-12T08:00:00+07:00", "scope")
    assert got["2"] == "commune"
    got = _facts("Khai mạc Đại hội đại biểu Đảng bộ tỉnh Bắc Ninh lần thứ I, nhiệm kỳ 2025 - 2030\nSáng 2/10, tại "
                 "Trung tâm Hội nghị tỉnh (phường Kinh Bắc), Đại hội khai mạc. Về dự có 450 đại biểu chính thức, đại "
                 "diện cho 190.000 đảng viên.", "2025-10-02T08:00:00+07:00", "scope")
    assert got["450"] == got["190.000"] == "province"


def test_opinions_works_satisfaction_and_inspection_findings():
    got = _facts("Quý III, các cộng tác viên đã gửi về 95 ý kiến. Năm 2024, các chi bộ đã hoàn thành 12 công trình. "
                 "Mức độ hài lòng của người dân đạt 96,5%. Ủy ban Kiểm tra đã kiểm tra tài chính đảng ở 15 chi bộ, "
                 "phát hiện 3 chi bộ thu chưa đúng quy định.", "2024-12-20T08:00:00+07:00", "measure")
    assert got["95"] == got["12"] == got["96,5%"] == "other" and got["3"] == "inspected"
