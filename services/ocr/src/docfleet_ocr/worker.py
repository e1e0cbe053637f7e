"""The OCR worker process: `docfleet-ocr-worker` / `python -m docfleet_ocr`."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import NoReturn

from docfleet_blobstore import open_configured_store
from docfleet_contracts import queues
from docfleet_ocr.activities import OcrActivities
from docfleet_ocr.device import available_providers, load_engine, wants_cuda
from docfleet_ocr.forkserver import warm_up
from docfleet_ocr.orientation import OrientationDetector
from docfleet_ocr.settings import OcrSettings
from docfleet_runtime import (
    build_worker,
    configure_logging,
    connect_client,
    serve,
    start_telemetry,
)
from docfleet_runtime.process import run_process

log = logging.getLogger(__name__)


async def run(settings: OcrSettings) -> None:
    """Load the OCR models once, then serve `ocr.ocr_pages` on the OCR queue until stopped."""
    log.info("settings: %s", settings.public_summary())
    start_telemetry(settings)  # /healthz while the models load; SDK metrics need it first
    engine = load_engine(settings)  # once per process; logs device, providers and parallelism
    orientation = (
        OrientationDetector(
            threads=settings.ocr_inference_threads,
            use_cuda=wants_cuda(settings.ocr_device, available_providers()),
        )
        if settings.ocr_detect_orientation
        else None
    )
    warm_up()  # the parser fork server imports PyMuPDF once, now rather than at the first document
    client = await connect_client(wait_seconds=settings.temporal_connect_wait_seconds)
    blobs = await open_configured_store(settings)
    pool = ThreadPoolExecutor(settings.ocr_pool_size, thread_name_prefix="ocr-page")
    try:
        async with blobs:
            activities = OcrActivities(
                engine, blobs, pool, settings, client=client, orientation=orientation
            )
            worker = build_worker(
                client, settings, task_queue=queues.OCR_QUEUE, activities=[activities.ocr_pages]
            )
            await serve(worker, service="ocr", client=client)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def main() -> NoReturn:
    settings = OcrSettings()
    configure_logging(settings.log_level, settings.log_format)
    run_process(run(settings))
