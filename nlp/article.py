"""What the crawler knows about an article besides its text: URL, outlet, title, lead, date.

Extraction uses it as context only (offsets always index the text): the title and lead name
the article's main place, the outlet (from ``source`` or the URL's host) may have a home
province, and ``published`` dates figures the text gives no time for.
"""
from __future__ import annotations

from dataclasses import dataclass

FIELDS = ("url", "source", "title", "lead", "published")


def _opt_str(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class ArticleMeta:
    """Context of one article; every field optional."""
    doc_id: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None
    title: str | None = None
    lead: str | None = None

    @classmethod
    def of(cls, doc_id=None, **fields) -> "ArticleMeta":
        """From loose values: non-strings and blanks become None."""
        return cls(doc_id=doc_id if isinstance(doc_id, str) else None,
                   **{k: _opt_str(fields.get(k)) for k in FIELDS})

    @property
    def heading(self) -> str:
        """Title and lead as one string ('' when neither is known)."""
        return "\n".join(x for x in (self.title, self.lead) if x)
