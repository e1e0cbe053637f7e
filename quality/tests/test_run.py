import json
from pathlib import Path

import pymupdf
import pytest

from quality.run import main

LINE = "Efficient algorithms for finding maximum matching in graphs"


def tiny_devset(root: Path) -> None:
    """A dev set of one printed-line image (rendered here) and its transcript."""
    (root / "scanned").mkdir(parents=True)
    doc = pymupdf.open()
    page = doc.new_page(width=520, height=40)
    page.insert_text((10, 26), LINE, fontsize=14, fontname="tiro")
    image = root / "scanned" / "uw3train_000001.png"
    page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY).save(image)
    image.with_name(f"{image.name}.gt.txt").write_text(LINE + "\n")
    rows = ["file\tkind\tlabel\tgt_files", "scanned/uw3train_000001.png\tscanned\ttext_line\t"]
    (root / "MANIFEST.tsv").write_text("\n".join(rows) + "\n")


def test_ocr_part_reads_through_the_activity_and_reports(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    tiny_devset(tmp_path / "data")
    args = ["--data", str(tmp_path / "data"), "--out", str(tmp_path / "out")]

    assert main([*args, "--parts", "ocr", "--engines", "tesseract"]) == 0

    (written,) = (tmp_path / "out").glob("quality-*.json")
    result = json.loads(written.read_text())
    lines = result["ocr"]["datasets"]["lines"]
    assert lines["documents"] == 1 and result["ocr"]["datasets"]["receipts"]["documents"] == 0
    figures = lines["engines"]["tesseract"]
    assert figures["cer"] < 0.05 and figures["pages"] == 1
    assert figures["read_by"] == {"tesseract": 1}
    printed = capfd.readouterr().out
    assert "| OCR | printed lines (1) | CER | " in printed
    assert f"Figures written to {written}" in printed


def test_a_missing_dev_set_ends_with_a_message(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data", str(tmp_path / "absent")]) == 2
    assert "no dev set at" in capfd.readouterr().err
