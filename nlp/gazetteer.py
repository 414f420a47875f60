"""Administrative units and the 2025 merger. (STUB: replaced by the gazetteer work.)"""
from __future__ import annotations


def province_of(name: str) -> tuple[str | None, str | None]:
    """(province as named before the 2025 merger, province after it) for a place or body name,
    e.g. 'huyện Tân Yên' → ('Bắc Giang', 'Bắc Ninh'); (None, None) when unknown."""
    return (None, None)


def main_province(text: str, entities: list[dict]) -> str | None:
    """The province/centrally-run city an article is mainly about (pre-merger name)."""
    return None
