"""Per-document limits of extraction, in one place, with the reason for each number.

A document over a limit is not extracted at all: ``nlp.extract`` raises ``DocumentTooLarge``
(or ``ExtractTimeout``) and ``xdd extract`` / ``nlp.batch`` count it as a ``too_large`` (or
``timeout``) reject with its line number. Nothing is truncated: a partial extraction stored as if
it were the whole article would be wrong data.

Measured on the 2-core development machine (``benchmarks/bench_extract_limits.py``), before the
limits: 1 MB of ``((((...`` takes about 45 s in the tokenizer (underthesea's CRF featurises the
whole document as one sequence, ~7 KB of memory per token: 7 GB); 1 MB of
``1.234 đảng viên, `` more than 150 s in the figure extractor (per figure, every phrase pattern
is searched over the whole sentence before it: quadratic in sentence length); a 1 MB line of
mixed text also spends quadratic time in the sentence splitter. With the limits any document of
1 MB or less gives a result or a reject in well under 30 s and 1.5 GB.

The limits are far above real articles: party-building news articles are typically 2-30 k
characters, 500-7,000 syllables and at most a few hundred figures (the gold articles of this
project: under 4 k characters).
"""
from __future__ import annotations

#: Characters of (NFC) text. 120 k is 4x a long real article; dense prose of that size
#: (a figure every 45 characters) extracts in ~9 s on the development machine, a 120 k line of
#: brackets, figures and codes in ~13 s (the sentence splitter is quadratic in line length).
MAX_CHARS = 120_000

#: Characters of the title and of the lead (each); real ones are under 300 and 1,500.
MAX_HEADING_CHARS = 5_000

#: Tokens as the tokenizer sees them (runs of word characters, and every other non-space
#: character alone). The CRF tokenizer needs ~7 KB per token over a ~0.4 GB process: 75 k
#: tokens (``(`` x 75,000) took 7 s and 0.9 GB. Real articles: 500-15,000.
MAX_TOKENS = 80_000

#: Characters of one word (a run without whitespace). The sentence splitter looks for the word
#: before each '.' with a pattern that is quadratic in that word's length: a '.' after 20 k
#: digits takes 3 s, after 100 k digits ~100 s. Real words, URLs included, are far shorter.
MAX_WORD_CHARS = 1_000

#: Figure candidates (numbers the figure extractor looks at, years included). ~10x the most
#: figure-dense real report.
MAX_FIGURES = 5_000

#: Characters the figure extractor reads: for each figure candidate, the part of its sentence
#: before it (it searches its phrase patterns there, so the cost is quadratic in sentence
#: length: 1,900 figures in one 40 k-character sentence take over 20 s, 1,400 in 30 k 12 s).
#: 8 M characters take about 5 s; a real article, with sentences under 1,000 characters, needs
#: under 0.5 M.
MAX_FIGURE_WORK = 8_000_000

#: Seconds of wall time per document (main thread only: SIGALRM). The last guard, for inputs
#: within the limits above that still hit a quadratic path (e.g. the sentence splitter on a
#: 120 k-character line full of abbreviations). Real articles take 0.1-2 s.
TIME_LIMIT = 25.0

#: Bytes of one JSONL input line, read before parsing: a longer line is a ``too_large`` reject
#: without being held in memory whole. 120 k characters written as ``\uXXXX`` escapes plus a
#: title and a lead fit in 1 MB; 4 MB leaves room.
MAX_LINE_BYTES = 4_000_000


class ExtractLimitError(Exception):
    """A document over one of the limits above: counted as a reject, never extracted."""

    reason = "too_large"


class DocumentTooLarge(ExtractLimitError):
    """Over ``MAX_CHARS``, ``MAX_HEADING_CHARS``, ``MAX_TOKENS``, ``MAX_WORD_CHARS``, ``MAX_FIGURES`` or
    ``MAX_FIGURE_WORK``."""

    reason = "too_large"


class ExtractTimeout(ExtractLimitError):
    """Extraction ran longer than ``TIME_LIMIT`` seconds."""

    reason = "timeout"
