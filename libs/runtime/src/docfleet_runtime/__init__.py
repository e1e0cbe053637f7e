"""Shared worker runtime: Temporal client factory, settings base, logging and the serve loop."""

from docfleet_runtime.codec import (
    CodecConfigError,
    CodecSettings,
    DecryptionError,
    EncryptionCodec,
    UnknownKeyError,
    codec_from_environment,
)
from docfleet_runtime.errors import ServiceError, application_error
from docfleet_runtime.logcontext import LogContextInterceptor
from docfleet_runtime.logs import configure_logging
from docfleet_runtime.offload import (
    BlobPayloadDriver,
    OffloadConfigError,
    OffloadedPayloadCorrupt,
    OffloadedPayloadError,
    OffloadedPayloadMissing,
    OffloadSettings,
    offload_from_environment,
)
from docfleet_runtime.settings import ServiceSettings
from docfleet_runtime.telemetry import Telemetry, process_telemetry, start_telemetry
from docfleet_runtime.temporal import (
    connect_client,
    connect_config,
    data_converter,
    data_converter_from_environment,
    describe_target,
)
from docfleet_runtime.worker import build_worker, serve

__all__ = [
    "BlobPayloadDriver",
    "CodecConfigError",
    "CodecSettings",
    "DecryptionError",
    "EncryptionCodec",
    "LogContextInterceptor",
    "OffloadConfigError",
    "OffloadSettings",
    "OffloadedPayloadCorrupt",
    "OffloadedPayloadError",
    "OffloadedPayloadMissing",
    "ServiceError",
    "ServiceSettings",
    "Telemetry",
    "UnknownKeyError",
    "application_error",
    "build_worker",
    "codec_from_environment",
    "configure_logging",
    "connect_client",
    "connect_config",
    "data_converter",
    "data_converter_from_environment",
    "describe_target",
    "offload_from_environment",
    "process_telemetry",
    "serve",
    "start_telemetry",
]
