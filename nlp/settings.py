"""Per-document limits of extraction, in one place, with the reason for each number.

A document over a limit is not extracted at all: ``nlp.extract`` raises ``DocumentTooLarge``
(or ``ExtractTimeout``) and ``xdd extract`` / ``nlp.batch`` count it as a ``too_large`` (or
``timeout``) reject with its line number. Nothing is truncated: a partial extraction stored as if
it were the whole article would be wrong data.

Measured on the 2-core development machine (``benchmarks/bench_extract_limits.py``), before the
limits: 1 MB of ``((((...`` takes about 45 s in the tokenizer (underthesea's CRF featurises the
whole document as one sequence, ~7 KB of memory per syllable: 7 GB); 1 MB of
``1.234 đảng viên, `` more than 150 s in the figure extractor (per figure, every phrase pattern
is searched over the whole sentence before it: quadratic in sentence length); a 1 MB line of
mixed text also spends quadratic time in the sentence splitter. With the limits any document of
1 MB or less gives a result or a reject in well under 30 s and 1.5 GB.

The limits are far above real articles: news articles of the configured sites are 2-30 k
characters (the longest seen: about 60 k), 500-7,000 syllables and at most a few hundred figures.
"""
from __future__ import annotations

#: Characters of (NFC) text. 200 k is ~7x the longest real article; prose of that size extracts in
#: ~15 s on the development machine, so the time limit below is never the one that decides.
MAX_CHARS = 200_000

#: Characters of the title and of the lead (each); real ones are under 300 and 1,500.
MAX_HEADING_CHARS = 5_000

#: Tokens as the tokenizer sees them (runs of word characters, and every other non-space
#: character alone). The CRF tokenizer needs ~7 KB per token over a ~0.45 GB process: 80 k
#: tokens stay under 1.1 GB. Real articles: 500-7,000.
MAX_TOKENS = 80_000

#: Figure candidates (numbers the figure extractor looks at). Per figure the extractor searches
#: the sentence before it, so thousands of figures in one long sentence cost minutes; 2,000 is
#: ~10x the most figure-dense real report.
MAX_FIGURES = 2_000

#: Seconds of wall time per document (main thread only: SIGALRM). The last guard, for inputs
#: within the limits above that still hit a quadratic path (e.g. 2,000 figures spread through
#: one 200 k-character sentence). Real articles take 0.1-2 s.
TIME_LIMIT = 20.0

#: Bytes of one JSONL input line, read before parsing: a longer line is a ``too_large`` reject
#: without being held in memory whole. 200 k characters written as ``\uXXXX`` escapes plus a
#: title and a lead fit in 1.3 MB; 4 MB leaves room.
MAX_LINE_BYTES = 4_000_000


class ExtractLimitError(Exception):
    """A document over one of the limits above: counted as a reject, never extracted."""

    reason = "too_large"


class DocumentTooLarge(ExtractLimitError):
    """Over ``MAX_CHARS``, ``MAX_TOKENS`` or ``MAX_FIGURES``."""

    reason = "too_large"


class ExtractTimeout(ExtractLimitError):
    """Extraction ran longer than ``TIME_LIMIT`` seconds."""

    reason = "timeout"
