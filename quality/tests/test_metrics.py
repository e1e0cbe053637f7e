import random

import pytest

from quality.metrics import (
    bag_of_words,
    cer,
    edit_distance,
    fold,
    pairs_in_order,
    wer,
    words,
)


def slow_distance(a: str, b: str) -> int:
    """The textbook table, to check the vectorised one against."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("", "", 0), ("abc", "", 3), ("", "ab", 2), ("kitten", "sitting", 3), ("flaw", "lawn", 2)],
)
def test_edit_distance_on_known_pairs(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance


def test_edit_distance_matches_the_textbook_table_on_random_strings() -> None:
    rng = random.Random(5)
    for _ in range(200):
        a = "".join(rng.choice("abc ") for _ in range(rng.randint(0, 12)))
        b = "".join(rng.choice("abc ") for _ in range(rng.randint(0, 12)))
        assert edit_distance(a, b) == slow_distance(a, b), (a, b)


def test_fold_ignores_case_ligatures_and_line_breaks() -> None:
    assert fold("  Diﬀerential\nPRIVACY \t here ") == "differential privacy here"


def test_cer_counts_edits_over_reference_characters() -> None:
    score = cer("Total: RM 15.90", "total rm 15.9O")
    assert (score.edits, score.length) == (2, 15)  # the colon, and O for 0
    assert score.rate == pytest.approx(2 / 15)
    assert cer("same TEXT", "same\ntext").rate == 0


def test_wer_counts_word_edits() -> None:
    score = wer("the cat sat on the mat", "the cat sat on mat today")
    assert (score.edits, score.length) == (2, 6)
    assert (cer("", "").rate, cer("", "extra").rate) == (0.0, 1.0)


def test_bag_of_words_ignores_order_and_edge_punctuation() -> None:
    bag = bag_of_words("TOTAL: 15.90\nCASH 20.00", "cash 20.00 total 15.90 change")
    assert (bag.matched, bag.reference, bag.hypothesis) == (4, 4, 5)
    assert (bag.recall, bag.precision) == (1.0, 0.8)
    assert bag.f1 == pytest.approx(2 * 0.8 / 1.8)
    assert words("(a) b, c.") == ["a", "b", "c"]


def test_bag_of_words_counts_repeats_once_each() -> None:
    bag = bag_of_words("rm rm rm", "rm")
    assert (bag.matched, bag.recall, bag.precision) == (1, 1 / 3, 1.0)


def test_pairs_in_order() -> None:
    assert pairs_in_order([0, 1, 2, 3]) == (6, 6)
    assert pairs_in_order([3, 2, 1, 0]) == (0, 6)
    assert pairs_in_order([0, 2, 1]) == (2, 3)
