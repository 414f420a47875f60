"""Tiny text normaliser for ingest (the crawler may not import `nlp`)."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_ZERO_WIDTH = re.compile(r"[\u200c\u200d\u2060\u00ad]")


def normalise(text: str | None) -> str:
    """NFC, U+00D0 → Đ, zero-width characters dropped; keeps line breaks."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")
    return _ZERO_WIDTH.sub("", text)


def squash(text: str | None) -> str:
    """Normalise and collapse all whitespace (line breaks included) to single spaces."""
    return " ".join(_SPACES.sub(" ", normalise(text)).split())


def squash_line(text: str) -> str:
    """Collapse horizontal whitespace inside one line and strip it."""
    return _SPACES.sub(" ", text).strip()
