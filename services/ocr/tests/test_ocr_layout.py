from __future__ import annotations

from docfleet_ocr.engine import OcrLine
from docfleet_ocr.layout import page_text, reading_order


def box(text: str, x0: float, y0: float, x1: float, y1: float) -> OcrLine:
    return OcrLine(text, 0.9, (x0, y0, x1, y1))


def test_boxes_of_one_row_join_left_to_right_even_when_slightly_offset() -> None:
    lines = [
        box("due:", 120, 102, 200, 130),
        box("Total", 10, 100, 100, 128),
        box("next line", 10, 140, 200, 168),
    ]
    assert page_text(lines) == "Total due:\nnext line"


def test_two_columns_are_read_one_after_the_other() -> None:
    title = box("A Title Across Both Columns", 50, 10, 950, 40)
    left = [box(f"left {i}", 50, 60 + i * 30, 480, 85 + i * 30) for i in range(4)]
    right = [box(f"right {i}", 520, 60 + i * 30, 950, 85 + i * 30) for i in range(4)]
    footer = box("footer spanning the page", 50, 300, 950, 325)
    text = page_text([*right, footer, *left, title])
    assert text.splitlines() == [
        "A Title Across Both Columns",
        *(f"left {i}" for i in range(4)),
        *(f"right {i}" for i in range(4)),
        "footer spanning the page",
    ]


def test_receipt_item_and_price_columns_stay_on_their_rows() -> None:
    items = [box(f"item {i}", 10, 50 + i * 30, 300, 75 + i * 30) for i in range(5)]
    prices = [box(f"{i}.00", 420, 50 + i * 30, 480, 75 + i * 30) for i in range(5)]
    rows = reading_order([*prices, *items])
    assert [[line.text for line in row] for row in rows] == [
        [f"item {i}", f"{i}.00"] for i in range(5)
    ]


def test_no_lines_give_no_text() -> None:
    assert page_text([]) == ""
