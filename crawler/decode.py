"""Decode HTML bytes by their declared charset, detecting a wrong declaration."""
from __future__ import annotations

import codecs
import re

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
# UTF-8 Vietnamese read as cp1252/latin-1 looks like "Ä‘áº£ng", "Ã ", "á»"
_MOJIBAKE = re.compile("[ÃÄÆá][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]")


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def declared_charset(raw: bytes, content_type: str | None = None) -> str | None:
    """Charset from the HTTP header, else from `<meta charset>` in the first 4 KB."""
    if content_type:
        m = _HEADER.search(content_type)
        if m and _codec(m.group(1)):
            return _codec(m.group(1))
    m = _META.search(raw[:4096])
    return _codec(m.group(1).decode("ascii", "ignore")) if m else None


def looks_mojibake(text: str) -> bool:
    """True when UTF-8 bytes were evidently decoded as a single-byte charset."""
    return len(_MOJIBAKE.findall(text[:20000])) >= 3


def repair(text: str) -> str:
    """Undo UTF-8-read-as-cp1252/latin-1 mojibake when it round-trips cleanly."""
    if not looks_mojibake(text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def decode_html(raw: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, how): how is the codec used, suffixed `!` when the declaration was wrong."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", "replace"), "utf-8"
    declared = declared_charset(raw, content_type) or "utf-8"
    try:
        strict_utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        strict_utf8 = None
    if strict_utf8 is not None and (declared != "utf-8") and re.search(rb"[\xc2-\xf4][\x80-\xbf]", raw):
        return strict_utf8, "utf-8!"
    if strict_utf8 is not None:
        return strict_utf8, "utf-8"
    if declared == "utf-8":
        return raw.decode("cp1258", "replace"), "cp1258!"
    return raw.decode(declared, "replace"), declared
