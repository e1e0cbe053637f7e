"""Whether a PDF page's text layer holds real text (undecodable fonts give junk)."""

from __future__ import annotations

import unicodedata

JUNK_SHARE = 0.1
"""A text layer with more than this share of unprintable characters is garbage."""


def is_real_text(text: str, min_chars: int) -> bool:
    """Enough letters/digits, and few unprintable characters (undecodable fonts give those)."""
    visible = [char for char in text if not char.isspace()]
    meaningful = sum(char.isalnum() for char in visible)
    junk = sum(
        not char.isprintable() or char == "\ufffd" or unicodedata.category(char) == "Co"
        for char in visible
    )
    return meaningful >= min_chars and junk <= JUNK_SHARE * len(visible)
