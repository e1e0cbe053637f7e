from pathlib import Path

import pytest

from quality.dataset import DevSet, Entry, MissingData, parse_boxes, reading_order, receipt_text

# Annotation order as SROIE gives it: the price of a row listed before its item, a line that
# steps back up the page, and a transcript with commas.
LINES_CSV = (
    "10,10,200,10,200,30,10,30,SHOP NAME SDN BHD\r\n"
    "300,62,360,62,360,80,300,80,4.50\r\n"
    "10,60,120,60,120,82,10,82,1 NASI LEMAK\r\n"
    "10,100,150,100,150,120,10,120,TOTAL: 1,234.50\r\n"
    "10,34,220,34,220,52,10,52,NO. 5, JALAN 1,\r\n"
    "160,98,260,98,260,118,160,118,RM\r\n"
)


def test_parse_boxes_keeps_commas_in_transcripts() -> None:
    boxes = parse_boxes(LINES_CSV)
    assert [box.text for box in boxes][3:5] == ["TOTAL: 1,234.50", "NO. 5, JALAN 1,"]
    assert boxes[1].box == (300.0, 62.0, 360.0, 80.0)


def test_reading_order_puts_rows_top_down_and_boxes_left_to_right() -> None:
    rows = reading_order(parse_boxes(LINES_CSV))
    assert [[box.text for box in row] for row in rows] == [
        ["SHOP NAME SDN BHD"],
        ["NO. 5, JALAN 1,"],
        ["1 NASI LEMAK", "4.50"],
        ["TOTAL: 1,234.50", "RM"],
    ]


def test_receipt_text_reads_the_sidecar_in_reading_order(tmp_path: Path) -> None:
    image = tmp_path / "sroie_001.jpg"
    image.with_name("sroie_001.jpg.lines.csv").write_bytes(b"\xef\xbb\xbf" + LINES_CSV.encode())
    text = receipt_text(Entry(image, "scanned", "receipt"))
    assert text.splitlines() == [
        "SHOP NAME SDN BHD",
        "NO. 5, JALAN 1,",
        "1 NASI LEMAK 4.50",
        "TOTAL: 1,234.50 RM",
    ]


def test_a_missing_dev_set_is_reported_not_crashed(tmp_path: Path) -> None:
    with pytest.raises(MissingData, match="DOCFLEET_QUALITY_DATA"):
        DevSet(tmp_path / "nowhere")


def test_manifest_labels_exclude_non_types(tmp_path: Path) -> None:
    rows = [
        "file\tkind\tlabel\tgt_files",
        "scanned/sroie_001.jpg\tscanned\treceipt\t",
        "scanned/uw3train_1.png\tscanned\ttext_line\t",
        "hostile/x.pdf\thostile\tn/a\t",
        "digital/kleister_a.pdf\tdigital\tcontract\t",
    ]
    (tmp_path / "MANIFEST.tsv").write_text("\n".join(rows) + "\n")
    devset = DevSet(tmp_path)
    assert [e.label for e in devset.labelled()] == ["receipt", "contract"]
    assert [e.name for e in devset.receipts()] == ["sroie_001.jpg"]
    assert [e.name for e in devset.lines()] == ["uw3train_1.png"]
