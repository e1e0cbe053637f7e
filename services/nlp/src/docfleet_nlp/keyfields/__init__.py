"""Key fields per document type (receipt total, contract parties...), each with its evidence."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from docfleet_contracts import KeyField
from docfleet_contracts.models import KEY_FIELD_LIMIT
from docfleet_nlp.keyfields.contracts import find_contract_fields
from docfleet_nlp.keyfields.receipts import find_receipt_fields
from docfleet_nlp.patterns import Span

__all__ = ["FINDERS", "find_key_fields"]

Finder = Callable[[str, Sequence[Span], Sequence[int]], list[KeyField]]

FINDERS: Final[dict[str, Finder]] = {
    "receipt": find_receipt_fields,
    "invoice": find_receipt_fields,
    "contract": find_contract_fields,
}
"""The document types that have key fields, and what finds them."""


def find_key_fields(
    text: str, spans: Sequence[Span], document_type: str | None, page_starts: Sequence[int]
) -> list[KeyField]:
    """The key fields of `document_type` found in `text` (none for a type without any).

    `spans` are the entities `EntityExtractor` found in `text`; `page_starts` each page's first
    offset. At most `KEY_FIELD_LIMIT` fields come back.
    """
    finder = FINDERS.get(document_type or "")
    if finder is None:
        return []
    return finder(text, spans, page_starts)[:KEY_FIELD_LIMIT]
