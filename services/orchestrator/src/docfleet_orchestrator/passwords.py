"""`docfleet submit --password-file`: PDF passwords per URL, sent only under payload encryption."""

from __future__ import annotations

import json
from pathlib import Path

from docfleet_runtime.codec import codec_from_environment

PASSWORD_FILE_HELP = (
    'JSON object {"<URL of this batch>": "<PDF password>"}; needs DOCFLEET_CODEC_KEYS'
)


class PasswordFileError(ValueError):
    """The --password-file is unreadable, not a JSON object of strings, or names unknown URLs."""


NO_CODEC_FOR_PASSWORDS = (
    "refusing to send PDF passwords without payload encryption: they would be stored in "
    "plaintext in Temporal history. Set DOCFLEET_CODEC_KEYS (see the README, "
    "'Payload encryption') for this command and every worker."
)


def passwords_for(path: str | None, urls: list[str]) -> dict[str, str]:
    """The passwords of `path` (none without one); refused without payload encryption."""
    if path is None:
        return {}
    if codec_from_environment() is None:
        raise PasswordFileError(NO_CODEC_FOR_PASSWORDS)
    return read_passwords(path, urls)


def read_passwords(path: str, urls: list[str]) -> dict[str, str]:
    """URL -> password from a JSON file; every URL it names must be one of this submit."""
    try:
        loaded = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        # Never echo the file's content: it is full of passwords.
        raise PasswordFileError(f"cannot read {path} as JSON ({type(exc).__name__})") from None
    if not isinstance(loaded, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()
    ):
        raise PasswordFileError(f"{path} must be a JSON object mapping URLs to password strings")
    unknown = sorted(set(loaded) - set(urls))
    if unknown:
        raise PasswordFileError(f"{path} names URLs that are not in this batch: {unknown}")
    return loaded
