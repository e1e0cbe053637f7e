"""Where to cut a long text for the NER model, and which page an offset falls on."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

# Cut at the strongest boundary available: a page, a paragraph, a line, a sentence, a word.
_BOUNDARIES = ("\f", "\n\n", "\n", ". ", " ")


def split_chunks(text: str, limit: int) -> list[tuple[int, int]]:
    """Consecutive `(start, end)` ranges covering `text`, each at most `limit` characters.

    A range ends just after the strongest boundary found in the second half of its window, so
    an entity is never cut in two unless a window holds no whitespace at all.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    ranges: list[tuple[int, int]] = []
    start, size = 0, len(text)
    while start < size:
        end = min(start + limit, size)
        if end < size:
            floor = start + limit // 2
            for boundary in _BOUNDARIES:
                cut = text.rfind(boundary, floor, end)
                if cut >= 0:
                    end = cut + len(boundary)
                    break
        ranges.append((start, end))
        start = end
    return ranges


def seam_window(text: str, cut: int, reach: int) -> tuple[int, int]:
    """The `(start, end)` range read around a cut between chunks: `reach` characters each side,
    widened to whole words so the window's edges do not split one.
    """
    start, end = max(0, cut - reach), min(len(text), cut + reach)
    while 0 < start < cut and _inside_word(text, start) and cut - start < 2 * reach:
        start -= 1
    while cut < end < len(text) and _inside_word(text, end) and end - cut < 2 * reach:
        end += 1
    return start, end


def _inside_word(text: str, offset: int) -> bool:
    return not text[offset - 1].isspace() and not text[offset].isspace()


def page_of(offset: int, page_starts: Sequence[int]) -> int:
    """The 1-based page holding `offset`, given each page's first offset (page 1 if none)."""
    return max(1, bisect_right(page_starts, offset))
