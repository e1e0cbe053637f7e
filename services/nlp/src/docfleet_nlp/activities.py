"""Temporal activities of the NLP worker: `nlp.classify` and `nlp.extract_entities`."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor

from temporalio import activity

from docfleet_blobstore import BlobStore
from docfleet_contracts import (
    Classification,
    ClassifyInput,
    EntitiesResult,
    ExtractInput,
    naming,
)
from docfleet_contracts.activities import CLASSIFY, EXTRACT_ENTITIES
from docfleet_nlp.blobs import read_page_starts, read_text, write_entities
from docfleet_nlp.classifier import Classifier
from docfleet_nlp.entities import EntityExtractor
from docfleet_nlp.errors import NlpError
from docfleet_nlp.keyfields import find_key_fields
from docfleet_nlp.patterns import Span
from docfleet_nlp.summary import count_by_label, pick_sample
from docfleet_runtime import application_error

log = logging.getLogger(__name__)


class NlpActivities:
    """Async activities that read and write blobs on the loop and run models on `executor`.

    CPU work goes to the executor one chunk at a time, with a heartbeat between chunks, so the
    event loop stays free and a cancelled activity stops at the next chunk.
    """

    def __init__(
        self,
        store: BlobStore,
        classifier: Classifier,
        extractor: EntityExtractor,
        executor: Executor,
        *,
        max_chars: int = 2_000_000,
    ) -> None:
        self.store = store
        self.classifier = classifier
        self.extractor = extractor
        self.executor = executor
        self.max_chars = max_chars

    @activity.defn(name=CLASSIFY.name)
    async def classify(self, request: ClassifyInput) -> Classification:
        try:
            text = await read_text(self.store, request.text)
        except NlpError as exc:
            raise application_error(exc) from exc
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.classifier.classify, text)

    @activity.defn(name=EXTRACT_ENTITIES.name)
    async def extract_entities(self, request: ExtractInput) -> EntitiesResult:
        try:
            text = await read_text(self.store, request.text)
            if len(text) > self.max_chars:
                log.warning(
                    "document %s/%s: entities looked for in the first %d of %d characters",
                    request.batch_id,
                    request.document_id,
                    self.max_chars,
                    len(text),
                )
            page_starts = await read_page_starts(self.store, request.page_index)
            spans = await self._find(text[: self.max_chars])
            entities = self.extractor.to_entities(text, spans, page_starts)
            key = naming.entities_key(request.batch_id, request.document_id)
            ref = await write_entities(self.store, key, entities)
        except NlpError as exc:
            raise application_error(exc) from exc
        loop = asyncio.get_running_loop()
        key_fields = await loop.run_in_executor(
            self.executor,
            find_key_fields,
            text[: self.max_chars],
            spans,
            request.document_type,
            page_starts,
        )
        return EntitiesResult(
            count=len(entities),
            by_label=count_by_label(entities),
            entities=ref,
            sample=pick_sample(entities),
            key_fields=key_fields,
        )

    async def _find(self, text: str) -> list[Span]:
        loop = asyncio.get_running_loop()
        chunks = self.extractor.chunks(text)
        spans: list[Span] = []
        for done, (start, end) in enumerate(chunks):
            activity.heartbeat(done, len(chunks))
            found = await loop.run_in_executor(
                self.executor, self.extractor.extract_chunk, text, start, end
            )
            spans.extend(found)
        activity.heartbeat(len(chunks), len(chunks))
        return spans
