from __future__ import annotations

from itertools import pairwise

import pytest

from docfleet_nlp.chunks import page_of, seam_window, split_chunks


def test_nlp_chunks_cover_the_text_within_the_limit() -> None:
    text = "".join(f"Paragraph {i} has a few words in it.\n\n" for i in range(500))

    ranges = split_chunks(text, 1_000)

    assert ranges[0][0] == 0 and ranges[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(ranges))
    assert all(0 < end - start <= 1_000 for start, end in ranges)
    assert all(text[end - 2 : end] == "\n\n" for _, end in ranges[:-1])


def test_nlp_chunks_prefer_page_breaks_over_paragraphs() -> None:
    text = "a b c\n\n" * 60 + "\f" + "d e f\n\n" * 60

    ranges = split_chunks(text, 600)

    assert text[ranges[0][1] - 1] == "\f"


def test_nlp_chunks_cut_hard_when_there_is_no_whitespace() -> None:
    assert split_chunks("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]


def test_nlp_chunks_of_empty_text_are_none() -> None:
    assert split_chunks("", 10) == []


def test_nlp_chunks_reject_a_non_positive_limit() -> None:
    with pytest.raises(ValueError):
        split_chunks("abc", 0)


@pytest.mark.parametrize(
    ("offset", "page"), [(0, 1), (99, 1), (100, 2), (250, 2), (300, 3), (10_000, 3)]
)
def test_nlp_page_of_uses_page_starts(offset: int, page: int) -> None:
    assert page_of(offset, [0, 100, 300]) == page


def test_nlp_page_of_is_one_without_page_starts() -> None:
    assert page_of(500, []) == 1


def test_nlp_seam_window_reaches_each_side_in_whole_words() -> None:
    text = "alpha beta gamma delta epsilon"
    cut = text.index("gamma") + 2

    start, end = seam_window(text, cut, 3)

    assert text[start:end] == " gamma"
    assert seam_window(text, 5, 100) == (0, len(text))


def test_nlp_seam_window_stops_in_text_without_spaces() -> None:
    assert seam_window("x" * 100, 50, 10) == (30, 70)
