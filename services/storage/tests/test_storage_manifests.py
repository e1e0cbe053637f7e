from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import BlobStore, FileBlobStore, S3Options, open_blob_store
from docfleet_contracts import (
    DocumentSpec,
    ManifestEntry,
    ManifestPage,
    ManifestPageInput,
    WriteManifestInput,
    errors,
    naming,
)
from docfleet_devstack.process import free_port
from docfleet_storage.lines import LineReader
from docfleet_storage.manifests import CHUNK_BYTES, MAX_LINE_BYTES, PAGE_BYTES

from .conftest import MakeActivities
from .stores import BACKENDS, open_store

JSONL = "application/x-ndjson"


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BlobStore]:
    async with await open_store(request, tmp_path) as opened:
        yield opened


def doc_line(i: int) -> str:
    metadata = {"n": str(i), "note": "lorem ipsum " * 12}
    spec = {"url": f"https://docs.example.org/batch/{i:06d}.pdf", "metadata": metadata}
    return json.dumps(spec | {"priority": 1 + i % 5, "document_id": f"doc-{i}"})


def manifest_text(count: int) -> str:
    """`count` documents, with comments and blank lines between them and a comment at the end."""
    lines = ["# a batch manifest", ""]
    for i in range(count):
        lines.append(doc_line(i))
        if i % 97 == 0:
            lines += ["   ", "# section " + "-" * 40]
    return "\n".join([*lines, "# end", ""])


async def put_manifest(store: BlobStore, body: str | bytes, key: str = "in/m.jsonl") -> str:
    data = body.encode() if isinstance(body, str) else body
    return (await store.put_bytes(key, data, JSONL)).uri


async def read(
    acts: Any, uri: str, offset: int = 0, first_index: int = 0, **options: Any
) -> ManifestPage:
    request = ManifestPageInput(
        batch_id="b1", manifest_uri=uri, offset=offset, first_index=first_index, **options
    )
    page: ManifestPage = await ActivityEnvironment().run(acts.read_manifest, request)
    return page


async def refused(acts: Any, uri: str) -> ApplicationError:
    with pytest.raises(ApplicationError) as info:
        await read(acts, uri)
    return info.value


async def test_line_reader_finds_the_same_lines_at_any_chunk_size(
    blob_store: FileBlobStore,
) -> None:
    body = (
        b"\xef\xbb\xbf# bom\r\n\nfirst\n  \n"
        + b"x" * 30
        + b"\n#c\n"
        + b"y" * 20
        + b"\n#"
        + b"z" * 25
    )
    uri = await put_manifest(blob_store, body)
    for chunk in range(1, 45):
        reader = LineReader(blob_store, uri, chunk_bytes=chunk, max_line_bytes=20)
        seen = []
        while (line := await reader.next()) is not None:
            seen.append((line.start, line.end, line.data, line.counts))
        assert seen == [
            (3, 10, b"# bom\r", False),  # after the byte-order mark
            (10, 11, b"", False),
            (11, 17, b"first", True),
            (17, 20, b"  ", False),
            (20, 51, None, True),  # 30 bytes > 20: too long, kept only as a position
            (51, 54, b"#c", False),
            (54, 75, b"y" * 20, True),  # exactly the cap
            (75, 101, None, False),  # a too-long comment at the end, without a newline
        ], f"chunk {chunk}"


async def test_pages_continue_across_chunks_and_calls(
    store: BlobStore, make_activities: MakeActivities
) -> None:
    body = manifest_text(2500)
    assert len(body) > 2 * CHUNK_BYTES  # pages end, and lines straddle, inside later chunks
    uri = await put_manifest(store, body)
    acts = make_activities(store)
    offset, index, entries, calls = 0, 0, list[ManifestEntry](), 0
    while True:
        page = await read(acts, uri, offset, index, max_documents=500, count_total=calls == 0)
        calls += 1
        assert page.total == (2500 if calls == 1 else None)
        assert page.next_offset > offset
        entries += page.entries
        offset, index = page.next_offset, index + len(page.entries)
        if page.end:
            break
    assert calls == 5  # the trailing comments are consumed with the last page, which says end
    assert offset == len(body.encode())
    assert [e.index for e in entries] == list(range(2500))
    assert all(e.error is None and e.spec is not None for e in entries)
    assert [e.spec.url for e in entries if e.spec] == [
        f"https://docs.example.org/batch/{i:06d}.pdf" for i in range(2500)
    ]
    assert entries[7].spec == DocumentSpec.model_validate_json(doc_line(7))
    # Past the end: nothing more, and the cursor stays.
    after = await read(acts, uri, offset, index)
    assert after == ManifestPage(entries=[], next_offset=offset, end=True)


async def test_small_pages_resume_exactly_where_the_last_one_stopped(
    blob_store: FileBlobStore, make_activities: MakeActivities
) -> None:
    body = manifest_text(10)
    uri = await put_manifest(blob_store, body)
    acts = make_activities(blob_store)
    page = await read(acts, uri, 0, 40, max_documents=3)
    assert [e.index for e in page.entries] == [40, 41, 42] and not page.end
    rest = body.encode()[page.next_offset :].decode()
    assert rest.startswith(doc_line(3))  # the cursor sits on the next document's line
    more = await read(acts, uri, page.next_offset, 43, max_documents=500, count_total=True)
    assert [e.index for e in more.entries] == list(range(43, 50))
    assert more.end and more.total == 10


async def test_every_entry_names_the_offset_its_line_can_be_read_again_from(
    blob_store: FileBlobStore, make_activities: MakeActivities
) -> None:
    # A batch that continues as new with lines read but not admitted re-reads them from there.
    body = manifest_text(6).replace(doc_line(4), "not json")
    uri = await put_manifest(blob_store, body)
    acts = make_activities(blob_store)
    page = await read(acts, uri, 0, 0, max_documents=500)
    assert [e.error is None for e in page.entries] == [True] * 4 + [False, True]
    for entry in page.entries:
        again = await read(acts, uri, entry.offset, entry.index, max_documents=1)
        assert again.entries == [entry]


async def test_a_page_of_large_lines_stops_at_its_byte_budget(
    blob_store: FileBlobStore, make_activities: MakeActivities
) -> None:
    big = [
        json.dumps({"url": f"https://example.org/{i}.pdf", "metadata": {"pad": "p" * 60_000}})
        for i in range(40)
    ]
    uri = await put_manifest(blob_store, "\n".join(big) + "\n")
    acts = make_activities(blob_store)
    first = await read(acts, uri, max_documents=100)
    carried = sum(len(line) + 1 for line in big[: len(first.entries)])
    assert 0 < len(first.entries) < 40 and not first.end
    assert carried <= PAGE_BYTES < carried + len(big[0]) + 1  # as many as fit, no more
    entries, page = list(first.entries), first
    while not page.end:
        page = await read(acts, uri, page.next_offset, len(entries), max_documents=100)
        entries += page.entries
    assert [e.index for e in entries] == list(range(40))


async def test_long_lines_are_error_entries_and_reading_goes_on(
    store: BlobStore, make_activities: MakeActivities
) -> None:
    huge = json.dumps({"url": "https://example.org/" + "a" * (CHUNK_BYTES + 1000)})
    long_comment = "#" + "c" * (MAX_LINE_BYTES * 2)
    body = "\n".join([doc_line(0), huge, long_comment, " " * (MAX_LINE_BYTES + 5), doc_line(1)])
    uri = await put_manifest(store, body)
    page = await read(make_activities(store), uri, count_total=True)
    assert [e.index for e in page.entries] == [0, 1, 2]
    bad = page.entries[1]
    assert bad.spec is None
    assert bad.error == (
        f"manifest line at byte {len(doc_line(0)) + 1} is longer than {MAX_LINE_BYTES} bytes"
    )
    assert page.entries[2].spec is not None and page.entries[2].spec.document_id == "doc-1"
    assert page.end and page.total == 3  # long comments and blanks are skipped, not counted


async def test_invalid_lines_are_typed_entries_that_never_echo_a_password(
    blob_store: FileBlobStore, make_activities: MakeActivities
) -> None:
    lines = [
        b'{"url": "https://example.org/a.pdf", "password": "hunter2"',  # cut short
        b'{"url": "ftp://user:hunter2@example.org/a.pdf", "password": "hunter2"}',
        b'{"url": "https://example.org/b.pdf", "priority": 9, "password": "hunter2"}',
        b'{"url": "https://admin:hunter2@example.org/c pdf"}',
        b'["https://example.org/d.pdf"]',
        b'{"url": "https://example.org/\xff.pdf"}',
        b'{"url": "https://example.org/ok.pdf", "password": "s3cret"}',
    ]
    uri = await put_manifest(blob_store, b"\n".join(lines) + b"\n")
    page = await read(make_activities(blob_store), uri, first_index=100)
    assert [e.index for e in page.entries] == list(range(100, 107))
    errors_ = [e.error or "" for e in page.entries[:6]]
    assert all(e.spec is None for e in page.entries[:6])
    assert all(message and "hunter2" not in message for message in errors_)
    assert errors_[0].startswith("manifest line at byte 0 is not a document: ")
    assert "Invalid JSON" in errors_[0]
    assert "scheme 'ftp' is not supported" in errors_[1]
    assert "priority: Input should be less than or equal to 5" in errors_[2]
    assert "***@example.org" in errors_[3] and "whitespace" in errors_[3]
    assert errors_[4].endswith("is not a document: Input should be an object")
    assert errors_[5].endswith("is not UTF-8 text")
    valid = page.entries[6].spec
    assert valid is not None and valid.password is not None
    assert valid.password.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(page)


async def test_manifests_outside_the_fleets_store_are_refused(
    store: BlobStore, make_activities: MakeActivities, tmp_path: Path
) -> None:
    acts = make_activities(store)
    (tmp_path / "elsewhere.jsonl").write_text(doc_line(1))
    foreign = [
        "https://example.org/m.jsonl",
        (tmp_path / "elsewhere.jsonl").as_uri(),
        "s3://another-bucket/blobs/m.jsonl",
        "file:///etc/passwd",
    ]
    if store.uri_for("x").startswith("s3://"):
        bucket = store.uri_for("x").split("/")[2]
        foreign.append(f"s3://{bucket}/outside-the-prefix/m.jsonl")
    for uri in foreign:
        error = await refused(acts, uri)
        assert error.type == errors.INVALID_REQUEST, uri
        assert error.non_retryable
        assert "must be in this fleet's blob store" in error.message


async def test_a_missing_manifest_is_an_invalid_request(
    store: BlobStore, make_activities: MakeActivities
) -> None:
    uri = store.uri_for(naming.manifest_key("b1"))
    error = await refused(make_activities(store), uri)
    assert error.type == errors.INVALID_REQUEST and error.non_retryable
    assert error.message == f"batch b1: no manifest at {uri}"


@pytest.mark.integration
async def test_blob_store_down_is_a_retryable_dependency_error(
    s3_bucket_url: str, make_activities: MakeActivities
) -> None:
    options = S3Options(endpoint_url=f"http://127.0.0.1:{free_port()}", connect_timeout=1)
    async with await open_blob_store(s3_bucket_url, options) as down:
        error = await refused(make_activities(down), down.uri_for("batches/b1/documents.jsonl"))
    assert error.type == errors.DEPENDENCY_UNAVAILABLE
    assert not error.non_retryable


async def test_write_manifest_spills_documents_beside_the_users_manifest(
    store: BlobStore, make_activities: MakeActivities
) -> None:
    users = await put_manifest(store, doc_line(0), naming.manifest_key("b1"))
    specs = [DocumentSpec.model_validate_json(doc_line(i)) for i in range(3)] + [
        DocumentSpec(url="https://example.org/locked.pdf", password="pa55")
    ]
    acts = make_activities(store)
    request = WriteManifestInput(batch_id="b1", first_index=250, documents=specs)
    written = await ActivityEnvironment().run(acts.write_manifest, request)
    assert written.count == 4
    assert written.manifest_uri == store.uri_for("batches/b1/documents-from-250.jsonl")
    assert await store.get_bytes(users) == doc_line(0).encode()  # the user's file is untouched
    before = await store.get_bytes(written.manifest_uri)
    again = await ActivityEnvironment().run(acts.write_manifest, request)
    assert again == written and await store.get_bytes(written.manifest_uri) == before

    page = await read(acts, written.manifest_uri, first_index=250)
    assert [e.spec for e in page.entries] == specs and page.end
    assert [e.index for e in page.entries] == [250, 251, 252, 253]
    locked = page.entries[3].spec
    assert locked is not None and locked.password is not None
    assert locked.password.get_secret_value() == "pa55"
