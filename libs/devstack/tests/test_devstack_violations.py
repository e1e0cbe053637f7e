from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from docfleet_blobstore import S3Client, S3Options
from docfleet_contracts import BatchResult, BatchTotals, DocumentFailure, DocumentResult, naming
from docfleet_devstack.blobscan import find_leftovers, read_objects
from docfleet_devstack.violations import (
    BatchObservation,
    DocumentRuns,
    find_violations,
    report_for,
)

BATCH = "inv-batch"


def _body(document_id: str, batch_id: str = BATCH) -> bytes:
    return json.dumps({"batch_id": batch_id, "document_id": document_id}).encode()


def _completed(document_id: str, status: str = "succeeded") -> DocumentResult:
    body = _body(document_id)
    return DocumentResult.model_validate(
        {
            "document_id": document_id,
            "url": f"https://example.org/{document_id}.pdf",
            "status": status,
            "result_uri": f"file:///blobs/{naming.result_key(BATCH, document_id)}",
            "result_sha256": hashlib.sha256(body).hexdigest(),
        }
    )


def _failed(document_id: str, error_type: str | None = "DocumentNotFound") -> DocumentResult:
    return DocumentResult(
        document_id=document_id,
        url=f"https://example.org/{document_id}.pdf",
        status="failed",
        error_type=error_type,
        error_message="404 from example.org",
    )


def _result(docs: list[DocumentResult]) -> BatchResult:
    """The result the batch workflow reports for these rows: totals counted as it counts them."""
    totals = BatchTotals()
    for doc in docs:
        totals.add(doc)
    return BatchResult.model_validate({"batch_id": BATCH, **totals.model_dump()})


def _observation() -> BatchObservation:
    docs = [_completed("a"), _completed("b", "partial"), _failed("c")]
    return BatchObservation(
        batch_id=BATCH,
        submitted=3,
        result=_result(docs),
        documents=docs,
        stored_results={"a": _body("a"), "b": _body("b")},
        leftovers=[],
        runs={
            "a": DocumentRuns(("COMPLETED",), 1),
            "b": DocumentRuns(("COMPLETED",), 1),
            "c": DocumentRuns(("FAILED",), 0),
        },
        expected_document_ids=["a", "b", "c"],
    )


def test_a_clean_batch_has_no_violations_and_its_figures() -> None:
    observation = _observation()
    assert find_violations(observation) == []
    report = report_for(observation, [])
    assert (report.completed, report.succeeded, report.partial, report.failed) == (2, 1, 1, 1)
    assert report.failure_types == {"DocumentNotFound": 1}
    assert "completed 2" in report.summary()


def test_stray_temporary_object_is_a_violation() -> None:
    observation = _observation()
    observation.leftovers = ["/blobs/results/inv-batch/a.json.docfleet-tmp"]
    assert find_violations(observation) == [
        "leftover temporary object: /blobs/results/inv-batch/a.json.docfleet-tmp"
    ]


def test_stored_result_with_another_sha_is_a_violation() -> None:
    observation = _observation()
    observation.stored_results["a"] = _body("a") + b" "
    [violation] = find_violations(observation)
    assert violation.startswith(
        "document a (succeeded): stored results/inv-batch/a.json has sha256"
    )


def test_missing_result_object_and_missing_sha_are_violations() -> None:
    observation = _observation()
    del observation.stored_results["a"]
    observation.documents[1].result_sha256 = None
    assert find_violations(observation) == [
        "document a (succeeded): no stored result object at results/inv-batch/a.json",
        "document b (partial): result has no result_sha256",
    ]


def test_result_json_for_another_document_is_a_violation() -> None:
    observation = _observation()
    body = _body("z", batch_id="other")
    observation.stored_results["a"] = body
    observation.documents[0].result_sha256 = hashlib.sha256(body).hexdigest()
    assert find_violations(observation) == [
        "document a (succeeded): stored results/inv-batch/a.json has batch_id 'other', "
        "expected 'inv-batch'",
        "document a (succeeded): stored results/inv-batch/a.json has document_id 'z', expected 'a'",
    ]
    observation.stored_results["a"] = b"{not json"
    observation.documents[0].result_sha256 = hashlib.sha256(b"{not json").hexdigest()
    assert "is not JSON" in find_violations(observation)[0]


def test_count_mismatches_are_violations() -> None:
    observation = _observation()
    observation.submitted = 4
    observation.expected_document_ids = ["a", "b", "c", "d"]
    assert find_violations(observation) == [
        "counts disagree: submitted 4, total 3, documents listed 3, completed 2 + failed 1",
        "submitted document d missing from the result",
    ]
    observation = _observation()
    observation.result.succeeded = 2
    assert find_violations(observation) == ["result.succeeded is 2 but 1 documents say succeeded"]


def test_failures_by_type_must_match_the_failed_rows() -> None:
    observation = _observation()
    observation.result.failures_by_type = {"DocumentNotFound": 1, "FetchTimeout": 2}
    assert find_violations(observation) == [
        "result.failures_by_type {'DocumentNotFound': 1, 'FetchTimeout': 2} but the rows say "
        "{'DocumentNotFound': 1}"
    ]
    observation.result.failures_by_type = {}
    assert find_violations(observation) == [
        "result.failures_by_type {} but the rows say {'DocumentNotFound': 1}"
    ]


def test_failure_sample_may_only_name_failed_documents() -> None:
    observation = _observation()
    observation.result.failure_sample.append(
        DocumentFailure(
            document_id="a", url="https://example.org/a.pdf", error_type="X", error_message="m"
        )
    )
    observation.result.failure_sample.append(
        DocumentFailure(
            document_id="nobody", url="https://x/n.pdf", error_type="X", error_message="m"
        )
    )
    assert find_violations(observation) == [
        "failure sample lists a, which did not fail",
        "failure sample lists nobody, which did not fail",
    ]


def test_failed_document_needs_a_contract_type_and_a_message() -> None:
    observation = _observation()
    observation.documents[2] = _failed("c", error_type="ZeroDivisionError")
    observation.documents[2].error_message = "  "
    observation.result = _result(observation.documents)
    assert find_violations(observation) == [
        "document c (failed): error type 'ZeroDivisionError' is not a contract type",
        "document c (failed): no error message",
    ]
    for allowed in ("FetchTimeout", "CircuitOpen", "Timeout", "Cancelled", "InvalidDocument"):
        observation.documents[2] = _failed("c", error_type=allowed)
        observation.result = _result(observation.documents)
        assert find_violations(observation) == []


def test_workflow_runs_must_be_single_and_store_once() -> None:
    observation = _observation()
    observation.runs["a"] = DocumentRuns(("FAILED", "COMPLETED"), 2)
    observation.runs["b"] = DocumentRuns(("TERMINATED",), 0)
    observation.runs["c"] = DocumentRuns(("FAILED",), 1)
    assert find_violations(observation) == [
        "document a (succeeded): DocumentWorkflow ran 2 times: ['FAILED', 'COMPLETED']",
        "document a (succeeded): DocumentWorkflow execution ended FAILED",
        "document a (succeeded): 2 completed storage.store_result activities, expected 1",
        "document b (partial): DocumentWorkflow execution ended TERMINATED",
        "document b (partial): 0 completed storage.store_result activities, expected 1",
        "document c (failed): 1 completed storage.store_result activities, expected 0",
    ]
    del observation.runs["a"]
    assert "document a (succeeded): its DocumentWorkflow never ran" in find_violations(observation)


async def test_folder_leftovers_and_objects(tmp_path: Path) -> None:
    root = tmp_path / "blobs"
    (root / "results" / "b").mkdir(parents=True)
    (root / "results" / "b" / "a.json").write_bytes(b"{}")
    (root / "results" / "b" / "a.json.1f2e.docfleet-tmp").write_bytes(b"{")
    (root / "sources" / "b").mkdir(parents=True)
    (root / "sources" / "b" / ".tmp-k2j4").write_bytes(b"%PDF")
    assert await find_leftovers(root.as_uri()) == [
        str(root / "results" / "b" / "a.json.1f2e.docfleet-tmp"),
        str(root / "sources" / "b" / ".tmp-k2j4"),
    ]
    found = await read_objects(root.as_uri(), ["results/b/a.json", "results/b/gone.json"])
    assert found == {"results/b/a.json": b"{}"}
    assert await find_leftovers((tmp_path / "nothing").as_uri()) == []


@pytest.mark.integration
async def test_s3_leftovers_are_tmp_keys_and_open_multipart_uploads(
    s3_options: S3Options, s3_bucket_url: str
) -> None:
    bucket = s3_bucket_url.removeprefix("s3://").split("/")[0]
    client = await S3Client(s3_options).open()
    try:
        await client.ensure_bucket(bucket)
        await client.put(bucket, "blobs/results/b/a.json", b"{}", "application/json")
        await client.put(bucket, "blobs/results/b/x.json.docfleet-tmp", b"{", "text/plain")
        await client.put(bucket, "elsewhere/y.docfleet-tmp", b"", "text/plain")  # not the store's
        upload = await client.raw.create_multipart_upload(Bucket=bucket, Key="blobs/big.pdf")
        assert await find_leftovers(s3_bucket_url, s3_options) == [
            f"s3://{bucket}/blobs/results/b/x.json.docfleet-tmp",
            f"unfinished multipart upload of s3://{bucket}/blobs/big.pdf "
            f"(upload id {upload['UploadId']})",
        ]
        found = await read_objects(
            s3_bucket_url, ["results/b/a.json", "results/b/no.json"], s3_options
        )
        assert found == {"results/b/a.json": b"{}"}
        await client.raw.abort_multipart_upload(
            Bucket=bucket, Key="blobs/big.pdf", UploadId=upload["UploadId"]
        )
        assert await find_leftovers(s3_bucket_url, s3_options) == [
            f"s3://{bucket}/blobs/results/b/x.json.docfleet-tmp"
        ]
    finally:
        await client.close()
