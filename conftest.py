"""Session-wide real servers for every test folder: Temporal dev server, Redis, moto S3.

Each starts once per test session on a free port, the first time a test asks for it; state is
reset per test where it could leak (Redis is flushed, S3 tests get a fresh bucket).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from temporalio.client import Client

from docfleet_blobstore import FileBlobStore, S3Options
from docfleet_devstack.process import docker_engine_available
from docfleet_devstack.servers import (
    MotoServer,
    RedisServer,
    TemporalServer,
    start_moto,
    start_redis,
    start_temporal,
)
from docfleet_runtime import connect_client

DOCKER = docker_engine_available()


def pytest_report_header() -> str:
    minio = "MinIO via testcontainers" if DOCKER else "no MinIO (no Docker engine answered)"
    return f"docfleet S3 API servers: moto_server (local process); {minio}"


@pytest.fixture(scope="session")
def minio_endpoint() -> Iterator[str]:
    """A MinIO container (needs a Docker engine); credentials go into os.environ."""
    from testcontainers.community.minio import MinioContainer

    with MinioContainer() as minio:
        config = minio.get_config()
        os.environ["AWS_ACCESS_KEY_ID"] = config["access_key"]
        os.environ["AWS_SECRET_ACCESS_KEY"] = config["secret_key"]
        yield f"http://{config['endpoint']}"


@pytest.fixture(scope="session")
def server_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("servers")


@pytest.fixture(scope="session")
def temporal_server(server_dir: Path) -> Iterator[TemporalServer]:
    server = start_temporal(server_dir / "temporal")
    yield server
    server.process.stop()


@pytest.fixture(scope="session")
async def temporal_client(temporal_server: TemporalServer) -> Client:
    """A client with the Pydantic converter, built by the same factory the workers use."""
    return await connect_client(temporal_server.address, "default", wait_seconds=10)


@pytest.fixture
def task_queue() -> str:
    """A fresh task queue per test, so workers of different tests never steal each other's tasks."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def redis_server(server_dir: Path) -> Iterator[RedisServer]:
    server = start_redis(server_dir)
    yield server
    server.process.stop()


@pytest.fixture
async def redis_url(redis_server: RedisServer) -> str:
    """URL of the session's private redis-server, emptied before each test."""
    import redis.asyncio as aioredis

    client = aioredis.from_url(redis_server.url)
    await client.flushall()
    await client.aclose()
    return redis_server.url


@pytest.fixture(scope="session")
def moto_server(server_dir: Path) -> Iterator[MotoServer]:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "docfleet-test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "docfleet-test-secret")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    server = start_moto(server_dir)
    yield server
    server.process.stop()


@pytest.fixture(scope="session")
def moto_endpoint(moto_server: MotoServer) -> str:
    """`http://127.0.0.1:PORT` of a real S3 API server; fake AWS credentials are in os.environ."""
    return moto_server.endpoint


@pytest.fixture
def s3_options(moto_endpoint: str) -> S3Options:
    return S3Options(endpoint_url=moto_endpoint, create_bucket=True)


@pytest.fixture
def s3_bucket_url() -> str:
    """A fresh bucket per test: `s3://<bucket>/blobs`."""
    return f"s3://docfleet-test-{uuid.uuid4().hex[:10]}/blobs"


@pytest.fixture
async def blob_store(tmp_path: Path) -> AsyncIterator[FileBlobStore]:
    store = FileBlobStore(tmp_path / "blobs")
    yield store
    await store.close()
