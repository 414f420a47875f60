"""Party bodies (ORG), places (LOC) and persons. (STUB: replaced by the entities work.)"""
from __future__ import annotations


def find_entities(text: str) -> list[dict]:
    """Contract entity dicts: label ORG/LOC/PERSON, text, start, end, norm; plus, where the
    place resolves, `province` (name at the time) and `province_2025` (after the merger)."""
    return []
