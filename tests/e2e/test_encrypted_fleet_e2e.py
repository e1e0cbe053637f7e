"""With a codec key, a real batch leaves no document text or entity value in Temporal history."""

from __future__ import annotations

import base64
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pymupdf
import pytest

from docfleet_contracts import BatchRequest, naming
from docfleet_devstack.batches import batch_documents, start_batch
from docfleet_devstack.httpd import FolderServer
from docfleet_devstack.samples import Sample
from docfleet_devstack.servers import temporal_binary
from docfleet_devstack.stack import Stack, running_stack
from docfleet_runtime import connect_client
from docfleet_runtime.codec import EncryptionCodec, new_key

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.timeout(600)]

SECRETS = ("Acme Corporation", "billing@acme.example", "1,234.56", "Globex Industries")
PASSWORD = "correct-horse-battery-staple-4711"
LOCKED_TEXT = "Quarterly board minutes: merger with Initech approved"


@pytest.fixture(scope="module")
def key() -> str:
    return new_key()


@pytest.fixture(scope="module")
def encrypted_fleet(e2e_dir: Path, samples: list[Sample], key: str) -> Iterator[Stack]:
    keys = json.dumps({"e2e-key": key})
    with running_stack(e2e_dir / "encrypted", extra_env={"DOCFLEET_CODEC_KEYS": keys}) as stack:
        yield stack


def raw_history(stack: Stack, workflow_id: str) -> str:
    """The history exactly as the server stores it, with every base64 field decoded too."""
    shown = subprocess.run(
        [
            temporal_binary(),
            "workflow",
            "show",
            "--address",
            stack.temporal.address,
            "--workflow-id",
            workflow_id,
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    decoded = []
    for token in shown.split('"'):
        try:
            decoded.append(base64.b64decode(token, validate=True).decode("utf-8", "replace"))
        except ValueError:
            continue
    return shown + "\n".join(decoded)


async def test_history_holds_no_document_text_or_entities(
    encrypted_fleet: Stack, sample_server: FolderServer, key: str
) -> None:
    codec = EncryptionCodec({"e2e-key": base64.b64decode(key)}, "e2e-key")
    client = await connect_client(encrypted_fleet.temporal.address, "default", codec=codec)
    request = BatchRequest.model_validate(
        {"batch_id": "sealed", "documents": [{"url": sample_server.url("invoice-digital.pdf")}]}
    )
    handle = await start_batch(client, request)
    [document] = await batch_documents(encrypted_fleet, await handle.result())
    # The workers decrypted and did real work: entities were found...
    assert document.status == "succeeded"
    assert any(e.text == "Acme Corporation" for e in document.entity_sample)
    # ...but none of it is readable in the stored histories.
    for workflow_id in (
        naming.batch_workflow_id("sealed"),
        naming.document_workflow_id("sealed", document.document_id),
    ):
        history = raw_history(encrypted_fleet, workflow_id)
        assert "binary/encrypted" in history
        leaked = [secret for secret in SECRETS if secret in history]
        assert not leaked, f"{workflow_id} history shows {leaked}"


async def test_control_without_a_key_the_same_check_sees_the_text(
    fleet: Stack, sample_server: FolderServer
) -> None:
    client = await connect_client(fleet.temporal.address, "default")
    request = BatchRequest.model_validate(
        {"batch_id": "unsealed", "documents": [{"url": sample_server.url("invoice-digital.pdf")}]}
    )
    handle = await start_batch(client, request)
    await handle.result()
    history = raw_history(fleet, naming.batch_workflow_id("unsealed"))
    assert "Acme Corporation" in history


@pytest.fixture(scope="module")
def locked_server(e2e_dir: Path) -> Iterator[FolderServer]:
    folder = e2e_dir / "locked"
    folder.mkdir()
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), LOCKED_TEXT, fontsize=12)
    locked = doc.tobytes(
        encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=PASSWORD, owner_pw="owner-" + PASSWORD
    )
    (folder / "minutes.pdf").write_bytes(locked)
    server = FolderServer(folder)
    yield server
    server.close()


async def test_encrypted_pdf_is_read_with_its_password_which_never_leaks(
    encrypted_fleet: Stack, locked_server: FolderServer, key: str
) -> None:
    codec = EncryptionCodec({"e2e-key": base64.b64decode(key)}, "e2e-key")
    client = await connect_client(encrypted_fleet.temporal.address, "default", codec=codec)
    url = locked_server.url("minutes.pdf")
    request = BatchRequest.model_validate(
        {"batch_id": "locked", "documents": [{"url": url, "password": PASSWORD}]}
    )
    assert PASSWORD not in repr(request)
    handle = await start_batch(client, request)
    [document] = await batch_documents(encrypted_fleet, await handle.result())
    assert document.status == "succeeded", document.error_message
    assert document.text_uri is not None and document.result_uri is not None
    with open(unquote(urlsplit(document.text_uri).path), encoding="utf-8") as stored:
        assert LOCKED_TEXT in stored.read()
    for workflow_id in (
        naming.batch_workflow_id("locked"),
        naming.document_workflow_id("locked", document.document_id),
    ):
        history = raw_history(encrypted_fleet, workflow_id)
        assert "binary/encrypted" in history
        assert PASSWORD not in history, f"{workflow_id} history shows the password"
    logs = sorted(path for path in (encrypted_fleet.workdir / "logs").rglob("*") if path.is_file())
    assert any("ocr" in path.name for path in logs)
    leaked = [path.name for path in logs if PASSWORD.encode() in path.read_bytes()]
    assert not leaked, f"logs show the password: {leaked}"
