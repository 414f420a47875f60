"""What a figure counts: the indicator lexicon (``data/reference/indicators.csv``), acronyms
and the noun phrases around a number ('969 đảng viên', 'tỷ lệ TCCSĐ hoàn thành tốt nhiệm vụ đạt')."""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from nlp.resources import reference_path
from nlp.text import fold, lookup_key as _lookup_key

lookup_key = lru_cache(maxsize=16384)(_lookup_key)

# Function words that end an indicator phrase, or cannot start one.
STOP = frozenset("""của ở tại với và trong được đã đang sẽ là có cho về thuộc từ đến trên dưới hơn gần
khoảng so theo nhưng nên thì mà này đó do bởi vì để khi sau trước nhằm cùng các những mỗi đều
hằng hàng chiếm đạt lên xuống còn tăng giảm bằng gồm như tuy rất cũng vẫn trở khác
năm tháng ngày qua nay""".split())
SUBJECT_LEADS = frozenset("số tổng lượng các những có toàn bộ riêng tỷ lệ".split())


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict, dict, list]:
    """(synonym lookup key → (key, label), acronym → expansion, synonym keys longest first)."""
    syn, acr = {}, {}
    path = reference_path("indicators.csv")
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["type"] == "acronym":
                    acr[row["synonym"]] = row["label"]
                if row["key"]:
                    syn[lookup_key(expand_with(row["synonym"], {}))] = (row["key"], row["label"])
    return syn, acr, sorted(syn, key=len, reverse=True)


def expand_with(s: str, acronyms: dict) -> str:
    """Acronyms written out: 'TCCSĐ yếu kém' → 'tổ chức cơ sở đảng yếu kém'."""
    if not acronyms:
        return s
    rx = _acronym_rx(tuple(sorted(acronyms, key=len, reverse=True)))
    return rx.sub(lambda m: acronyms[m[0]], s)


@lru_cache(maxsize=4)
def _acronym_rx(shorts: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(map(re.escape, shorts)))


def expand_acronyms(s: str) -> str:
    return expand_with(s, _lexicon()[1])


@lru_cache(maxsize=1)
def _by_first_word() -> dict[str, list[str]]:
    """Synonym keys grouped by their first word, longest first (for prefix matching)."""
    out: dict[str, list[str]] = {}
    for syn in _lexicon()[2]:
        out.setdefault(syn.split(" ", 1)[0], []).append(syn)
    return out


def _strip_tail(key: str) -> str:
    return re.sub(r"\s+(?:của|trong|tại|ở|trên|thuộc)\s.*$", "", key).strip(" ,.;")


def indicator_key(indicator: str) -> str | None:
    """Canonical key of an indicator phrase through indicators.csv: 'TCCSĐ' → 'to_chuc_co_so_dang'."""
    if not isinstance(indicator, str) or not indicator.strip():
        return None
    syn = _lexicon()[0]
    key = lookup_key(expand_acronyms(indicator.strip()))
    key = re.sub(r"^(?:tỷ lệ|số lượng|số|tổng số)\s+", "", key)
    for k in (key, _strip_tail(key), key.replace(" - ", " ")):
        if k in syn:
            return syn[k][0]
    folded = _folded_index()
    return folded.get(fold(key)) or folded.get(fold(_strip_tail(key)))


@lru_cache(maxsize=1)
def _folded_index() -> dict[str, str]:
    """Synonyms and canonical keys without diacritics ('dang vien', 'dang_vien') → key."""
    out = {}
    for k, (key, _label) in _lexicon()[0].items():
        out.setdefault(fold(k), key)
        out.setdefault(key, key)
    return out


# ------------------------------------------------------------------ indicator
def _lexicon_match(phrase: str) -> int:
    """Length (in characters of `phrase`) of the longest synonym at its start, or 0."""
    head = phrase[:80].lstrip()
    first = lookup_key(expand_acronyms(head.split(" ", 1)[0] if head else "")).split(" ", 1)[0]
    if first not in _by_first_word():
        return 0
    key = lookup_key(expand_acronyms(phrase[:160]))
    for syn in _by_first_word()[first]:
        if key.startswith(syn) and (len(key) == len(syn) or not key[len(syn)].isalnum()):
            return _chars_for_words(phrase, len(syn.split()))
    return 0


def _chars_for_words(phrase: str, n_words: int) -> int:
    """Characters of phrase covering its first n words (acronyms count as their expansion)."""
    acr = _lexicon()[1]
    count, pos = 0, 0
    for m in re.finditer(r"\S+", phrase):
        w = m.group().strip(",.;")
        count += len(acr[w].split()) if w in acr else 1
        pos = m.start() + len(w)
        if count >= n_words:
            return pos
    return pos


RX_RATING = re.compile(
    r"\s+(?:được\s+)?(?:(?:xếp loại|đánh giá|công nhận)(?:\s+là)?\s+)?"
    r"(hoàn thành (?:xuất sắc |tốt )?nhiệm vụ(?: trở lên)?|không hoàn thành nhiệm vụ|trong sạch,? vững mạnh(?: tiêu biểu)?"
    r"|yếu kém|mới kết nạp|dự bị|chính thức)(?!\w)", re.IGNORECASE)


def noun_phrase(text: str, start: int, limit: int = 4) -> tuple[str, int]:
    """(indicator, end offset) for the words from start: a known indicator, else up to
    `limit` words stopping at function words and punctuation."""
    while start < len(text) and text[start] in " \t":
        start += 1
    window = text[start:start + 120]
    window = re.split(r"[,;:.()\"“”?!\n]|\s[-–]\s", window, maxsplit=1)[0]
    known = _lexicon_match(window) or (len("ngày công") if lookup_key(window).startswith("ngày công") else 0)
    if known:
        rating = RX_RATING.match(window, known)
        if rating:
            return expand_acronyms(window[:known]) + " " + rating[1], start + rating.end()
        return expand_acronyms(window[:known]), start + known
    words = []
    for m in re.finditer(r"\S+", window):
        w = m.group()
        if lookup_key(w) in STOP or not w[0].isalpha() or len(words) >= limit:
            break
        words.append(m)
    if not words:
        return "", start
    return expand_acronyms(window[:words[-1].end()]), start + words[-1].end()


RX_TIME_WORDS = re.compile(r"(?i:(?:hằng|hàng|mỗi|cuối|đầu|trong)\s+)?(?i:năm|tháng|ngày|quý)\s*(?:\d{1,2}\s*[-/.]\s*)?(?:(?:19|20)\d{2})?")
RX_RATE_OF = re.compile(r"(?i:tỷ lệ|tỉ lệ)\s+(?!này|trên|đó\b)(.+)$")
RX_COUNT_OF = re.compile(r"(?<![Mm]ột )(?<![Tt]rong )(?<!\w)(?i:tổng số|số lượng|số)\s+(?!\d|(?i:này|đó)\b)(.+)$")
RX_COUNT_CUT = re.compile(r"\s(?:là|đạt|chiếm|lên|còn|tuy|chỉ|tăng|giảm|hiện|bình quân|toàn|trong|của|ở|tại|trên|với|"
                          r"đông nhất|nhiều nhất|cao nhất|thấp nhất|ít nhất)(?:\s|$)|[,(]")
RX_RATE_CUT = re.compile(r"\s(?:của|trong(?! sạch)|tại|ở|thuộc|đạt|là|chiếm|lên|xuống|còn|tăng|giảm|bình quân|đều|hằng|so|toàn|năm|cao|thấp|nâng|hiện)(?:\s|$)|[,(]")
RX_GENERIC_CUT = re.compile(r"\s(?:của|trong|tại|ở|thuộc|đạt|là|chiếm|lên|xuống|còn|tăng|giảm|bình quân|đều|hằng|so|tuy|chỉ|đã|được)(?:\s|$)|[,(]")


def _last_known(segment: str) -> str:
    """The last indicator of two or more words named in a segment ('giảm TCCSĐ yếu kém dưới')."""
    for m in reversed(list(re.finditer(r"(?<!\w)\w", segment))):
        n = _lexicon_match(segment[m.start():])
        phrase = segment[m.start():m.start() + n]
        if n and len(expand_acronyms(phrase).split()) >= 2:
            return expand_acronyms(phrase)
    return ""


def subject_phrase(segment: str) -> str:
    """Indicator named before a figure: 'tỷ lệ X đạt', 'Số X chiếm', 'giảm TCCSĐ yếu kém dưới',
    'các chỉ tiêu ... đạt'."""
    segment = RX_TIME_WORDS.sub(" ", segment).strip()
    m = RX_RATE_OF.search(segment)
    if m:
        cut = RX_RATE_CUT.split(m[1] + " ", maxsplit=1)[0].strip()
        known = m[1][:_lexicon_match(m[1])]
        best = known if len(known) >= len(cut) else cut
        if best:
            return expand_acronyms(best)
    m = RX_COUNT_OF.search(segment)
    if m:
        cut = RX_COUNT_CUT.split(m[1] + " ", maxsplit=1)[0].strip()
        if 0 < len(cut.split()) <= 12:
            return expand_acronyms(cut)
    known = _last_known(segment)
    if known:
        return known
    words = segment.split()
    while words and (lookup_key(words[0]) in SUBJECT_LEADS | STOP or not words[0][0].isalpha()):
        words.pop(0)
    phrase = " ".join(words)
    cut = RX_GENERIC_CUT.split(phrase + " ", maxsplit=1)[0].strip()
    return expand_acronyms(cut) if 0 < len(cut.split()) <= 14 else ""


_RATING_WORDS = (r"hoàn thành (?:xuất sắc |tốt )?nhiệm vụ(?: trở lên)?|không hoàn thành nhiệm vụ"
                 r"|trong sạch,? vững mạnh(?: tiêu biểu)?|yếu kém|đủ tư cách[^,;.%\d]{0,40}?|vi phạm tư cách[^,;.%\d]{0,40}?")
RX_RATING_AFTER = re.compile(rf"\s*(?:(?:đạt|được xếp loại|xếp loại|được công nhận|đạt mức|đạt loại)\s+)?({_RATING_WORDS})(?!\w)", re.IGNORECASE)
RX_RATING_BEFORE = re.compile(rf"(?:^|[\s,;(])(?:(?:tỷ lệ|tỉ lệ)\s+)?({_RATING_WORDS})\s*(?:là|chiếm|đạt)?\s*$", re.IGNORECASE)
PRONOUNS = frozenset(("này", "đó", "trên", "số này", "số đó"))


def base_indicator(indicator: str) -> str:
    """An indicator without its rating: 'tổ chức cơ sở đảng trong sạch, vững mạnh' → 'tổ chức
    cơ sở đảng' (the known head), else the indicator itself."""
    n = _lexicon_match(indicator or "")
    return expand_acronyms(indicator[:n]) if n else (indicator or "")


def rated_share(text: str, m: re.Match, before: str, prev: dict | None) -> str:
    """'20,59% đạt trong sạch vững mạnh tiêu biểu', 'yếu kém 0,04%': a share named by a rating
    only, of what the previous figure counts."""
    if not prev or not prev.get("indicator"):
        return ""
    hit = RX_RATING_AFTER.match(text, m.end()) or RX_RATING_BEFORE.search(before)
    return f"{base_indicator(prev['indicator'])} {hit[1].strip()}" if hit else ""


RX_ASIDE_TIME = re.compile(r"\s*(?:(?i:cùng kỳ|năm trước|năm ngoái|năm (?:19|20)\d{2}|cuối năm (?:19|20)\d{2})\s*)"
                           r"(?:(?i:là|đạt|chỉ)\s*)*")


def percent_indicator(text: str, m: re.Match, clause_from: int, prev: dict | None) -> str:
    """What a share is of: the phrase after 'N%', else a rating of what the previous figure
    counts, else the subject before it, else the previous figure's indicator in the sentence."""
    after, _ = noun_phrase(text, m.end(), limit=6)
    before = text[clause_from:m.start()]
    if lookup_key(after) in PRONOUNS or re.match(r"(?i:đạt|được)\b", after):
        after = ""
    rated = "" if after else rated_share(text, m, before, prev)
    if rated:
        return rated
    if not after and prev and re.search(r"(?i:tương đương|tức là|tức|bằng)\s*$", before):
        return prev["indicator"]          # '925/962 ấp có cấp ủy, tương đương 96,15%'
    aside = RX_ASIDE_TIME.fullmatch(before)        # '(năm 2019 là 21,7%)': the same share, another time
    if not after and (not before.strip() or aside) and clause_from and text[clause_from - 1] == "(":
        head = re.split(r"[.!?;\n]", text[max(0, clause_from - 200):clause_from - 1])[-1]
        named = subject_phrase(head)      # 'tỷ lệ kết nạp đảng viên mới còn chậm (0,44%)'
        if named:
            return named
    if re.search(r"(?i:chiếm|bằng|tương đương)\s*$", before) or lookup_key(after).startswith(("tổng", "so ")):
        after = ""
    if after:
        return after
    if prev and re.search(r"(?i:trong (?:số )?(?:đó|này))\s*$", before):
        return prev["indicator"]
    segment = re.sub(r"(?i:\s*(?:đạt|là|chiếm|lên|xuống còn|còn|tăng|giảm|từ|trên|hơn|gần|khoảng|dưới|tới|đến|bằng)\s*)+$", "", before)
    found = subject_phrase(segment.strip()) if segment.strip() else ""
    if found and lookup_key(found) not in PRONOUNS and not re.search(r"(?i:tỷ lệ|tỉ lệ)\s+(?:này|đó)\b", segment):
        return found
    return prev["indicator"] if prev else ""

