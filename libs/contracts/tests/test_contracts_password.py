"""Document passwords: masked everywhere a person looks, carried intact on the JSON wire."""

from __future__ import annotations

from temporalio.contrib.pydantic import pydantic_data_converter

from docfleet_contracts.models import BatchRequest, DocumentSpec, OcrInput

PASSWORD = "correct-horse-battery-staple-4711"


def test_spec_json_round_trip_keeps_the_password_while_repr_masks_it() -> None:
    spec = DocumentSpec(url="https://x.example/a.pdf", password=PASSWORD)
    assert PASSWORD not in repr(spec) and PASSWORD not in str(spec)
    assert PASSWORD not in str(spec.model_dump())  # python mode keeps the SecretStr
    back = DocumentSpec.model_validate_json(spec.model_dump_json())
    assert back.password is not None and back.password.get_secret_value() == PASSWORD


def test_the_temporal_data_converter_carries_the_password() -> None:
    request = BatchRequest(documents=[DocumentSpec(url="https://x/a.pdf", password=PASSWORD)])
    converter = pydantic_data_converter.payload_converter
    payloads = converter.to_payloads([request])
    assert PASSWORD.encode() in payloads[0].data  # hence payload encryption is required
    (back,) = converter.from_payloads(payloads, [BatchRequest])
    assert back.documents[0].password.get_secret_value() == PASSWORD


def test_no_password_is_none_and_old_payloads_still_parse() -> None:
    spec = DocumentSpec.model_validate_json('{"url": "https://x/a.pdf"}')
    assert spec.password is None
    blob = {"uri": "file:///t/a", "sha256": "0" * 64, "size": 1}
    ocr = OcrInput.model_validate(
        {"batch_id": "b", "document_id": "d", "source": blob, "kind": "pdf"}
    )
    assert ocr.password is None and '"password":null' in ocr.model_dump_json()
