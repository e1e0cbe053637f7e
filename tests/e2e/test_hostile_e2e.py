"""A hostile-input corpus through the whole fleet: every file ends in a clear outcome."""

from __future__ import annotations

import json
import os
import struct
import zlib
from pathlib import Path

import pymupdf
import pytest
from temporalio.client import Client

from docfleet_contracts import BatchRequest, BatchResult, errors
from docfleet_devstack.batches import batch_documents, start_batch
from docfleet_devstack.httpd import FolderServer
from docfleet_devstack.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.timeout(600)]

TYPED = set(errors.NON_RETRYABLE)


def _png(width: int, height: int, rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def make_corpus(folder: Path) -> dict[str, set[str]]:
    """Hostile files and the outcomes each may have ("succeeded" or error types)."""
    folder.mkdir(parents=True, exist_ok=True)
    good = pymupdf.open()
    good.new_page().insert_text((72, 72), "A perfectly normal page of text for the control case.")
    pdf = good.tobytes()
    encrypted = pymupdf.open()
    encrypted.new_page().insert_text((72, 72), "Secret!")
    locked = encrypted.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    # 20000 x 20000 grey pixels, all zero: 400 MB decoded from a few hundred KB.
    bomb_rows = zlib.compress(b"\x00" * (20000 + 1) * 20000, 9)
    files: dict[str, tuple[bytes, set[str]]] = {
        "control.pdf": (pdf, {"succeeded"}),
        "zero-bytes.pdf": (b"", {errors.UNSUPPORTED_TYPE}),
        "truncated.pdf": (pdf[: len(pdf) // 3], {errors.INVALID_DOCUMENT, "succeeded"}),
        "html-named.pdf": (b"<!doctype html><html>login</html>", {errors.UNSUPPORTED_TYPE}),
        "polyglot.pdf": (b"PK\x03\x04" + b"\x00" * 2000 + pdf, {errors.UNSUPPORTED_TYPE}),
        "encrypted.pdf": (locked, {errors.ENCRYPTED_DOCUMENT}),
        "bomb.png": (_png(20000, 20000, bomb_rows), {errors.TOO_LARGE}),
        "garbage.png": (b"\x89PNG\r\n\x1a\n" + os.urandom(3000), {errors.INVALID_DOCUMENT}),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: outcomes for name, (_, outcomes) in files.items()}


@pytest.fixture(scope="module")
def corpus(e2e_dir: Path) -> dict[str, set[str]]:
    folder = e2e_dir / "hostile"
    expected = make_corpus(folder)
    # The team's real malformed PDFs, beside the checkout (or where DOCFLEET_QUALITY_DATA says).
    roots = [
        os.environ.get("DOCFLEET_QUALITY_DATA", ""),
        str(Path(__file__).resolve().parents[2].parent / "shared" / "data" / "quality-dev"),
        "/work/shared/data/quality-dev",
    ]
    shared = next((Path(r) / "hostile" for r in roots if r and Path(r, "hostile").is_dir()), None)
    for source in sorted(shared.glob("*.pdf")) if shared else []:
        (folder / source.name).write_bytes(source.read_bytes())
        expect = json.loads(Path(f"{source}.expect.json").read_text())["expect"]
        expected[source.name] = (
            {errors.ENCRYPTED_DOCUMENT} if expect == "encrypted" else {"succeeded"}
        )
    return expected


async def test_every_hostile_file_ends_in_a_clear_outcome(
    fleet: Stack, fleet_client: Client, corpus: dict[str, set[str]], e2e_dir: Path
) -> None:
    server = FolderServer(e2e_dir / "hostile")
    try:
        request = BatchRequest.model_validate(
            {
                "batch_id": "e2e-hostile",
                "documents": [{"url": server.url(name)} for name in sorted(corpus)],
            }
        )
        handle = await start_batch(fleet_client, request)
        result: BatchResult = await handle.result()
    finally:
        server.close()
    assert result.total == len(corpus) == result.succeeded + result.failed
    rows = await batch_documents(fleet, result)
    outcomes = {
        d.url.rsplit("/", 1)[1]: (d.status if d.status == "succeeded" else d.error_type)
        for d in rows
    }
    assert outcomes.keys() == corpus.keys()
    wrong = {n: o for n, o in outcomes.items() if o not in corpus[n]}
    assert not wrong, f"unexpected outcomes: {wrong}"
    for document in rows:
        if document.status == "failed":
            assert document.error_type in TYPED and document.error_message
            assert "Traceback" not in document.error_message
    # The fleet survived the corpus: every worker process is still alive.
    assert all(worker.alive() for worker in fleet.workers.values())
