from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio import workflow
from temporalio.client import Client

from docfleet_blobstore import FileBlobStore
from docfleet_contracts import (
    BlobRef,
    Classification,
    ClassifyInput,
    EntitiesResult,
    ExtractInput,
)
from docfleet_contracts.activities import CLASSIFY, EXTRACT_ENTITIES
from docfleet_contracts.models import WireModel
from docfleet_nlp.activities import NlpActivities
from docfleet_nlp.classifier import KeywordClassifier
from docfleet_nlp.entities import EntityExtractor
from docfleet_nlp.settings import NlpSettings
from docfleet_runtime import build_worker


class ProbeInput(WireModel):
    queue: str
    text: BlobRef


class ProbeResult(WireModel):
    classification: Classification
    entities: EntitiesResult


@workflow.defn(sandboxed=False)
class NlpProbe:
    """Calls both NLP activities by their contract names, as the orchestrator does."""

    @workflow.run
    async def run(self, request: ProbeInput) -> ProbeResult:
        timeout = timedelta(seconds=60)
        classification = await workflow.execute_activity(
            CLASSIFY.name,
            ClassifyInput(text=request.text),
            task_queue=request.queue,
            result_type=Classification,
            start_to_close_timeout=timeout,
        )
        entities = await workflow.execute_activity(
            EXTRACT_ENTITIES.name,
            ExtractInput(batch_id="b1", document_id="d1", text=request.text),
            task_queue=request.queue,
            result_type=EntitiesResult,
            start_to_close_timeout=timeout,
            heartbeat_timeout=timeout,
        )
        return ProbeResult(classification=classification, entities=entities)


@pytest.mark.integration
async def test_nlp_worker_serves_both_activities(
    temporal_client: Client, task_queue: str, tmp_path: Path, extractor: EntityExtractor
) -> None:
    store = FileBlobStore(tmp_path)
    text = "INVOICE\nInvoice from Acme Corporation.\nBill To: Globex\nAmount due: $1,234.56\n"
    ref = await store.put_text("text/b1/d1/full.txt", text)
    with ThreadPoolExecutor(2) as executor:
        acts = NlpActivities(store, KeywordClassifier(), extractor, executor)
        worker = build_worker(
            temporal_client,
            NlpSettings(),
            task_queue=task_queue,
            activities=[acts.classify, acts.extract_entities],
            workflows=[NlpProbe],
        )
        async with worker:
            result = await temporal_client.execute_workflow(
                NlpProbe.run,
                ProbeInput(queue=task_queue, text=ref),
                id=f"nlp-probe-{uuid.uuid4().hex}",
                task_queue=task_queue,
            )

    assert result.classification.label == "invoice"
    assert result.entities.by_label["TOTAL"] == 1
    assert any(e.text == "Acme Corporation" for e in result.entities.sample)
