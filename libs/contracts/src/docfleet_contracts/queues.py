"""Task-queue names: one queue per service, so each fleet scales on its own."""

from typing import Final

ORCHESTRATOR_QUEUE: Final = "docfleet-orchestrator"
"""Queue of the orchestrator worker, which runs the three workflows."""

FETCHER_QUEUE: Final = "docfleet-fetcher"
"""Queue of the fetcher worker (`fetch.fetch_document`)."""

OCR_QUEUE: Final = "docfleet-ocr"
"""Queue of the OCR workers (`ocr.ocr_pages`); add CPU or GPU nodes here."""

NLP_QUEUE: Final = "docfleet-nlp"
"""Queue of the NLP workers (`nlp.classify`, `nlp.extract_entities`)."""

STORAGE_QUEUE: Final = "docfleet-storage"
"""Queue of the storage workers (`storage.store_result`, `storage.record_analytics`)."""

ALL_QUEUES: Final = (ORCHESTRATOR_QUEUE, FETCHER_QUEUE, OCR_QUEUE, NLP_QUEUE, STORAGE_QUEUE)
