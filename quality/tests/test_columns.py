from pathlib import Path

import pymupdf

from quality.columns import column_pages, order_check

LEFT = [f"left column sentence number {n} talks about apples and pears" for n in range(8)]
RIGHT = [f"right column sentence number {n} talks about boats and trains" for n in range(8)]


def two_column_pdf(path: Path) -> None:
    """A title across the page, then two columns of text; the right column written first."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_textbox(pymupdf.Rect(300, 100, 550, 700), "\n".join(RIGHT), fontsize=10)
    page.insert_textbox(pymupdf.Rect(40, 100, 290, 700), "\n".join(LEFT), fontsize=10)
    title = "A TITLE ACROSS BOTH COLUMNS"
    page.insert_textbox(pymupdf.Rect(40, 40, 550, 80), title, fontsize=14, align=1)
    doc.save(path)


def test_reference_is_in_column_order_whatever_the_pdf_order(tmp_path: Path) -> None:
    two_column_pdf(tmp_path / "two.pdf")
    (page,) = column_pages(tmp_path / "two.pdf", dpi=50)
    assert page.png.startswith(b"\x89PNG")
    assert [block.side for block in page.blocks] == ["F", "L", "R"]
    lines = page.text.splitlines()
    assert lines[0] == "A TITLE ACROSS BOTH COLUMNS"
    assert lines[1].startswith(LEFT[0]) and lines[2].startswith(RIGHT[0])
    assert page.native_order == (0, 3)  # written right, left, title: every pair reversed


def test_order_check_tells_column_order_from_interleaving(tmp_path: Path) -> None:
    two_column_pdf(tmp_path / "two.pdf")
    (page,) = column_pages(tmp_path / "two.pdf", dpi=50)
    in_columns = order_check(page, "\n".join(["a title across both columns", *LEFT, *RIGHT]))
    assert in_columns.anchors > 10
    assert in_columns.kept == in_columns.pairs
    assert in_columns.column_kept == in_columns.column_pairs > 0
    rows = [f"{left} {right}" for left, right in zip(LEFT, RIGHT, strict=True)]
    interleaved = order_check(page, "\n".join(rows))
    share = interleaved.column_kept / interleaved.column_pairs
    assert 0.3 < share < 0.7
    assert interleaved.kept < interleaved.pairs
