from __future__ import annotations

import pytest
from pydantic import SecretStr
from temporalio.exceptions import ApplicationErrorCategory

from docfleet_contracts import errors
from docfleet_runtime import ServiceError, ServiceSettings, application_error, connect_config


class Missing(ServiceError):
    error_type = errors.NOT_FOUND


def test_non_retryable_domain_error_becomes_benign_non_retryable_application_error() -> None:
    err = application_error(Missing("HTTP 404 for https://x/a.pdf"))
    assert (err.type, err.non_retryable, err.message) == (
        errors.NOT_FOUND,
        True,
        "HTTP 404 for https://x/a.pdf",
    )
    assert err.category == ApplicationErrorCategory.BENIGN


def test_transient_error_stays_retryable() -> None:
    err = application_error(ServiceError("S3 down", error_type=errors.DEPENDENCY_UNAVAILABLE))
    assert not err.non_retryable
    assert err.category == ApplicationErrorCategory.UNSPECIFIED


def test_connect_config_reads_temporal_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEMPORAL_ADDRESS", "temporal.example:7233")
    monkeypatch.setenv("TEMPORAL_NAMESPACE", "docs")
    config = connect_config()
    assert (config["target_host"], config["namespace"]) == ("temporal.example:7233", "docs")
    assert connect_config(address="other:1")["target_host"] == "other:1"


def test_connect_config_defaults_to_local_dev_server(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEMPORAL_CONFIG_FILE", "/nonexistent/temporal.toml")
    config = connect_config()
    assert (config["target_host"], config["namespace"]) == ("localhost:7233", "default")


def test_settings_summary_masks_secrets() -> None:
    class WithSecret(ServiceSettings):
        api_token: SecretStr = SecretStr("hunter2")

    summary = WithSecret().public_summary()
    assert summary["api_token"] == "***"
    assert "hunter2" not in repr(summary)
