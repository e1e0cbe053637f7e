"""Deterministic ids and blob keys, so a repeated submission finds the work already done."""

from __future__ import annotations

import hashlib

from docfleet_contracts.models import DocumentSpec


def batch_workflow_id(batch_id: str) -> str:
    """Workflow id of a batch: submitting the same batch id twice finds the same run."""
    return f"docfleet-batch-{batch_id}"


def document_workflow_id(batch_id: str, document_id: str) -> str:
    """Workflow id of one document of a batch."""
    return f"docfleet-doc-{batch_id}-{document_id}"


def analytics_workflow_id(batch_id: str, document_id: str) -> str:
    """Workflow id of the analytics run for one document."""
    return f"docfleet-analytics-{batch_id}-{document_id}"


def document_id_for(index: int, spec: DocumentSpec) -> str:
    """The client's document id, or one derived from the position and URL (stable on resubmit)."""
    if spec.document_id:
        return spec.document_id
    digest = hashlib.sha256(spec.url.encode()).hexdigest()[:8]
    return f"doc-{index + 1:04d}-{digest}"


def source_key(batch_id: str, document_id: str) -> str:
    """Blob key of the downloaded original."""
    return f"sources/{batch_id}/{document_id}"


def page_text_key(batch_id: str, document_id: str, page_number: int) -> str:
    """Blob key of one page's text (pages count from 1)."""
    return f"text/{batch_id}/{document_id}/page-{page_number:05d}.txt"


def page_summary_key(batch_id: str, document_id: str, page_number: int) -> str:
    """Blob key of one page's `PageSummary` (JSON), stored beside its text for resumed reads."""
    return f"text/{batch_id}/{document_id}/page-{page_number:05d}.json"


def page_index_key(batch_id: str, document_id: str) -> str:
    """Blob key of a document's `PageIndex` (JSON): every page's summary, in page order."""
    return f"text/{batch_id}/{document_id}/pages.json"


def full_text_key(batch_id: str, document_id: str) -> str:
    """Blob key of the whole document's text, pages separated by form feeds."""
    return f"text/{batch_id}/{document_id}/full.txt"


def entities_key(batch_id: str, document_id: str) -> str:
    """Blob key of the full entity list (JSON)."""
    return f"entities/{batch_id}/{document_id}.json"


def result_key(batch_id: str, document_id: str) -> str:
    """Blob key of the document's result JSON."""
    return f"results/{batch_id}/{document_id}.json"


def result_text_key(batch_id: str, document_id: str) -> str:
    """Blob key of the document's full text next to its result."""
    return f"results/{batch_id}/{document_id}.txt"


def manifest_key(batch_id: str) -> str:
    """Blob key of a batch's documents manifest (JSON Lines of DocumentSpec)."""
    return f"batches/{batch_id}/documents.jsonl"


def results_part_key(batch_id: str, part: int) -> str:
    """Blob key of one page of a batch's results (pages count from 1)."""
    return f"batches/{batch_id}/results/part-{part:06d}.jsonl"


def results_manifest_key(batch_id: str) -> str:
    """Blob key of a batch's results manifest (JSON Lines of DocumentResult)."""
    return f"batches/{batch_id}/results.jsonl"
