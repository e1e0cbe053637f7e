"""The workers' own activities, run one document at a time outside Temporal.

`OcrActivities.ocr_pages`, `NlpActivities.classify` and `NlpActivities.extract_entities` run in
`ActivityEnvironment` over a folder blob store, with the engines, classifier and spaCy pipeline
built as the workers build them; only the Temporal server is left out.
"""

from __future__ import annotations

import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import FileBlobStore
from docfleet_contracts import (
    Classification,
    ClassifyInput,
    DocumentKind,
    EntitiesResult,
    ExtractInput,
    OcrInput,
    OcrResult,
    PageIndex,
    PageSummary,
    naming,
)
from docfleet_nlp.activities import NlpActivities
from docfleet_nlp.settings import NlpSettings
from docfleet_nlp.worker import build_classifier, build_extractor
from docfleet_ocr.activities import OcrActivities
from docfleet_ocr.engine import OcrEngine
from docfleet_ocr.settings import OcrSettings
from quality.engines import EngineCache

BATCH = "quality"


@dataclass(frozen=True)
class Reading:
    """One document read by `ocr.ocr_pages`: its text, page summaries and wall time."""

    document_id: str
    text: str
    pages: list[PageSummary]
    seconds: float
    result: OcrResult


class Harness:
    """Engines built on first use, one blob store and pools for the whole run."""

    def __init__(self, ocr_settings: OcrSettings, nlp_settings: NlpSettings) -> None:
        self.ocr_settings = ocr_settings
        self.nlp_settings = nlp_settings
        self._engines = EngineCache(ocr_settings)
        self._ocr: dict[str, OcrActivities] = {}
        self._nlp: NlpActivities | None = None
        self._stack = AsyncExitStack()
        self._count = 0

    async def __aenter__(self) -> Harness:
        folder = self._stack.enter_context(tempfile.TemporaryDirectory(prefix="docfleet-q-"))
        self.store = FileBlobStore(Path(folder))
        size = self.ocr_settings.ocr_pool_size
        self.pool = self._stack.enter_context(ThreadPoolExecutor(size, thread_name_prefix="q-ocr"))
        self.nlp_pool = self._stack.enter_context(ThreadPoolExecutor(self.nlp_settings.nlp_threads))
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()

    def engine(self, name: str) -> OcrEngine:
        """The engine `name`, built once; `EngineUnavailable` (every time) if it cannot be."""
        return self._engines.get(name)

    def _document_id(self, label: str) -> str:
        self._count += 1
        return f"{self._count:05d}-{re.sub(r'[^A-Za-z0-9._-]', '_', label)[:100]}"

    async def read(self, engine: str, data: bytes, kind: DocumentKind, label: str) -> Reading:
        """Store `data` and read it with `ocr.ocr_pages` on the engine called `engine`."""
        if engine not in self._ocr:
            self._ocr[engine] = OcrActivities(
                self.engine(engine), self.store, self.pool, self.ocr_settings, client=None
            )
        document_id = self._document_id(label)
        key = naming.source_key(BATCH, document_id)
        source = await self.store.put_bytes(key, data, f"application/{kind}")
        request = OcrInput(batch_id=BATCH, document_id=document_id, source=source, kind=kind)
        started = time.monotonic()
        result = await ActivityEnvironment().run(self._ocr[engine].ocr_pages, request)
        seconds = time.monotonic() - started
        text = await self.store.read_text(result.text)
        pages = PageIndex.model_validate_json(await self.store.read(result.page_index)).pages
        return Reading(document_id, text, pages, seconds, result)

    @property
    def nlp(self) -> NlpActivities:
        """The NLP activities, with spaCy and the classifier loaded as the worker loads them."""
        if self._nlp is None:
            settings = self.nlp_settings
            extractor = build_extractor(settings)
            self._nlp = NlpActivities(
                self.store,
                build_classifier(settings),
                extractor,
                self.nlp_pool,
                max_chars=settings.nlp_max_chars,
            )
        return self._nlp

    async def classify(self, reading: Reading) -> Classification:
        request = ClassifyInput(text=reading.result.text)
        return await ActivityEnvironment().run(self.nlp.classify, request)

    async def extract(self, reading: Reading, document_type: str | None) -> EntitiesResult:
        request = ExtractInput(
            batch_id=BATCH,
            document_id=reading.document_id,
            text=reading.result.text,
            page_index=reading.result.page_index,
            document_type=document_type,
        )
        return await ActivityEnvironment().run(self.nlp.extract_entities, request)
