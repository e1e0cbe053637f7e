from typing import Any

from quality.report import confusion, markdown


def result() -> dict[str, Any]:
    tally = {"accuracy": 0.8, "hits": 4, "scored": 5, "extra": 0, "misses": []}
    return {
        "meta": {"default_engine": "auto"},
        "ocr": {
            "engines": {"ppocr": {"available": True}, "tesseract": {"available": False}},
            "datasets": {
                "lines": {
                    "documents": 2,
                    "engines": {"ppocr": {"cer": 0.0912, "seconds_per_page": 3.14159}},
                }
            },
        },
        "rotation": {"documents": 3, "word_recall": {"90": {"all": 0.95}}},
        "classify": {
            "documents": 4,
            "accuracy": 0.75,
            "labels": ["form", "receipt"],
            "confusion": {"form": {"form": 1, "receipt": 1}, "receipt": {"receipt": 2}},
        },
        "fields": {
            "ndas": {
                "documents": 5,
                "true_type": {"party": tally},
                "predicted_type": {"party": {**tally, "accuracy": 0.6}},
            }
        },
    }


def test_markdown_has_one_column_per_engine_and_the_default_last() -> None:
    lines = markdown(result()).splitlines()
    assert lines[0] == "| Part | Dataset (documents) | Measure | ppocr | tesseract | auto |"
    assert "| OCR | printed lines (2) | CER | 9.1% | n/a | n/a |" in lines
    assert "| OCR | printed lines (2) | seconds per page | 3.14 | n/a | n/a |" in lines
    assert "| Rotation | receipts + NDA pages (3) | word recall at 90° |  |  | 95.0% |" in lines
    assert "| Classify | labelled (4) | accuracy |  |  | 75.0% |" in lines
    assert "| Fields | NDAs (5) | parties (the exact set) |  |  | 80.0% (4/5); 60.0% |" in lines


def test_confusion_rows_are_true_labels() -> None:
    table = confusion(result()["classify"]).splitlines()
    assert table[0] == "| truth \\ predicted | form | receipt |"
    assert table[2:] == ["| form | 1 | 1 |", "| receipt |  | 2 |"]
