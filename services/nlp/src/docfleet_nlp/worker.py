"""Entry point of the NLP worker: load spaCy once, then serve `docfleet-nlp` until stopped."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import NoReturn

from docfleet_blobstore import open_configured_store
from docfleet_contracts import queues
from docfleet_nlp.activities import NlpActivities
from docfleet_nlp.classifier import Classifier, KeywordClassifier
from docfleet_nlp.entities import EntityExtractor, load_pipeline
from docfleet_nlp.model import load_model_classifier
from docfleet_nlp.settings import NlpSettings
from docfleet_runtime import (
    build_worker,
    configure_logging,
    connect_client,
    serve,
    start_telemetry,
)
from docfleet_runtime.process import run_process

log = logging.getLogger(__name__)


def build_classifier(settings: NlpSettings) -> Classifier:
    """The configured document classifier, loaded once for the process."""
    if settings.nlp_classifier == "keywords":
        return KeywordClassifier(max_chars=settings.nlp_classify_chars)
    log.info("loading the document classifier (MiniLM embeddings + trained weights)")
    return load_model_classifier(
        max_chars=settings.nlp_classify_chars, other_threshold=settings.nlp_other_threshold
    )


def build_extractor(settings: NlpSettings) -> EntityExtractor:
    """The spaCy pipeline and entity patterns the settings ask for, loaded once for the process."""
    log.info("loading spaCy pipeline %s", settings.nlp_spacy_model)
    return EntityExtractor(
        load_pipeline(settings.nlp_spacy_model),
        chunk_chars=settings.nlp_chunk_chars,
        skip_labels=settings.nlp_skip_labels,
        day_first=settings.nlp_day_first,
        default_region=settings.nlp_default_region,
    )


async def run(settings: NlpSettings) -> None:
    """Load the models, connect, and serve until SIGTERM or SIGINT."""
    start_telemetry(settings)  # /healthz while the models load; SDK metrics need it first
    extractor = build_extractor(settings)
    classifier = build_classifier(settings)
    client = await connect_client(wait_seconds=settings.temporal_connect_wait_seconds)
    with ThreadPoolExecutor(settings.nlp_threads, thread_name_prefix="nlp") as executor:
        async with await open_configured_store(settings) as store:
            activities = NlpActivities(
                store, classifier, extractor, executor, max_chars=settings.nlp_max_chars
            )
            worker = build_worker(
                client,
                settings,
                task_queue=queues.NLP_QUEUE,
                activities=[activities.classify, activities.extract_entities],
            )
            await serve(worker, service="nlp", client=client)


def main() -> NoReturn:
    """Console script `docfleet-nlp-worker`."""
    settings = NlpSettings()
    configure_logging(settings.log_level, settings.log_format)
    log.info("settings: %s", settings.public_summary())
    run_process(run(settings))


if __name__ == "__main__":
    main()
