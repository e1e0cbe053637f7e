"""`docfleet submit --password-file` refuses to put passwords in an unencrypted history."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from docfleet_orchestrator.passwords import PasswordFileError, passwords_for

CLI = str(Path(sys.executable).parent / "docfleet")
URL = "https://docs.example/locked.pdf"
PASSWORD = "correct-horse-battery-staple-4711"
KEYS = json.dumps({"k1": base64.b64encode(b"k" * 32).decode()})


def password_file(tmp_path: Path, content: object) -> str:
    path = tmp_path / "passwords.json"
    path.write_text(json.dumps(content))
    return str(path)


def test_password_file_without_codec_keys_exits_2_before_connecting(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLEET_CODEC")}
    # An address nothing listens on: exit 2 proves the CLI stopped before connecting.
    env["TEMPORAL_ADDRESS"] = "127.0.0.1:1"
    args = [CLI, "submit", URL, "--password-file", password_file(tmp_path, {URL: PASSWORD})]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    said = " ".join(done.stderr.split())
    assert "refusing to send PDF passwords without payload encryption" in said
    assert "DOCFLEET_CODEC_KEYS" in said
    assert PASSWORD not in done.stderr + done.stdout


def test_password_file_is_read_when_codec_keys_are_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCFLEET_CODEC_KEYS", KEYS)
    assert passwords_for(password_file(tmp_path, {URL: PASSWORD}), [URL]) == {URL: PASSWORD}
    assert passwords_for(None, [URL]) == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"https://other.example/x.pdf": PASSWORD}, "not in this batch"),
        ([PASSWORD], "must be a JSON object"),
        ({URL: 4711}, "must be a JSON object"),
    ],
)
def test_bad_password_files_are_refused_without_echoing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: object, message: str
) -> None:
    monkeypatch.setenv("DOCFLEET_CODEC_KEYS", KEYS)
    with pytest.raises(PasswordFileError, match=message) as caught:
        passwords_for(password_file(tmp_path, content), [URL])
    assert PASSWORD not in str(caught.value)


def test_unparsable_password_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCFLEET_CODEC_KEYS", KEYS)
    path = tmp_path / "broken.json"
    path.write_text('{"' + URL + '": "' + PASSWORD)
    with pytest.raises(PasswordFileError, match="cannot read") as caught:
        passwords_for(str(path), [URL])
    assert PASSWORD not in str(caught.value)
