"""Shared pieces of the wire models: identifiers, URLs, enumerations, the base model, blob refs."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr

ALLOWED_SCHEMES = ("http", "https", "file", "s3")
MAX_INLINE_DOCUMENTS = 1000
"""Larger batches come as a manifest in the blob store."""
ENTITY_SAMPLE_SIZE = 20
KEY_FIELD_LIMIT = 24
"""Most key fields one document reports (contracts name several parties)."""

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$", re.DOTALL)


def _check_url(url: str) -> str:
    url = url.strip()
    match = _SCHEME.match(url)
    if match is None:
        raise ValueError(
            f"{url!r} is not a URL; expected one of "
            + ", ".join(f"{s}://" for s in ALLOWED_SCHEMES)
        )
    scheme, rest = match.group(1).lower(), match.group(2)
    if scheme not in ALLOWED_SCHEMES:
        raise ValueError(
            f"URL scheme {scheme!r} is not supported; use one of "
            + ", ".join(f"{s}://" for s in ALLOWED_SCHEMES)
        )
    if not rest or rest == "/":
        raise ValueError(f"{url!r} has nothing after {scheme}://")
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        raise ValueError(f"{url!r} contains whitespace or control characters")
    if len(url) > 4096:
        raise ValueError("URL is longer than 4096 characters")
    return scheme + "://" + rest


DocumentUrl = Annotated[str, AfterValidator(_check_url)]
"""A document URL: http(s)://, file:// (under the fetcher's root) or s3://."""

Identifier = Annotated[str, Field(pattern=_ID_PATTERN)]
"""Batch and document ids: 1-128 of letters, digits, '.', '_' and '-', starting alphanumeric."""

PASSWORD_DESCRIPTION = (
    "Password of an encrypted PDF. Masked in repr, str and logs, but carried in clear in the "
    "JSON payload: it is only kept out of Temporal history when payload encryption "
    "(DOCFLEET_CODEC_KEYS) is configured."
)


def reveal(secret: SecretStr | None) -> str | None:
    """The JSON wire form of a password: the Pydantic data converter must carry the value."""
    return None if secret is None else secret.get_secret_value()


DocumentKind = Literal["pdf", "png", "jpeg", "tiff"]
"""Document formats the fleet reads, detected from magic bytes."""

PageMethod = Literal["text_layer", "ocr"]
"""How a page's text was read: from the PDF's text layer, or by OCR of its image."""

Stage = Literal[
    "pending", "fetching", "reading", "classifying", "extracting", "storing", "done", "failed"
]
"""Where a document is in its pipeline."""

DocumentStatus = Literal["succeeded", "partial", "failed"]
"""How a document ended: every stage ran; stored with its text but without classification or
entities (see `degraded`); or not stored at all (see `error_type`)."""


class WireModel(BaseModel):
    """Base of every wire model: unknown fields are ignored, so mixed versions interoperate."""

    model_config = ConfigDict(extra="ignore")


class BlobRef(WireModel):
    """A pointer to bytes in the blob store; what travels instead of the bytes."""

    uri: str = Field(description="file:///... or s3://bucket/key")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0, description="Size in bytes.")
    content_type: str = "application/octet-stream"
