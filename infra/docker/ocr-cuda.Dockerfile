# DocFleet OCR worker for NVIDIA GPU nodes: the same service with onnxruntime-gpu (CUDA 13,
# cuDNN 9) in place of the CPU onnxruntime. Needs an R580+ driver and the NVIDIA container
# runtime (`docker run --gpus all`, or `nvidia.com/gpu` on Kubernetes).
# Build from the repository root:  docker build -f infra/docker/ocr-cuda.Dockerfile -t docfleet-ocr-cuda .
ARG PYTHON_VERSION=3.11
ARG UV_VERSION=0.13.9
ARG CUDA_IMAGE=nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04
ARG ONNXRUNTIME_GPU_VERSION=1.31.1

FROM ghcr.io/astral-sh/uv:${UV_VERSION} AS uv

# The CUDA base has no Python 3.11: the builder installs uv's standalone CPython under
# /opt/python, and the runtime stage copies it next to the virtual environment.
FROM ubuntu:24.04 AS build
ARG PYTHON_VERSION
ARG ONNXRUNTIME_GPU_VERSION
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_NO_CACHE=1 UV_PYTHON_INSTALL_DIR=/opt/python \
    UV_PYTHON_PREFERENCE=only-managed UV_PROJECT_ENVIRONMENT=/app/.venv
RUN uv python install ${PYTHON_VERSION}
WORKDIR /src
# Only the workspace members docfleet-ocr depends on are copied (see tests/recipes).
COPY pyproject.toml uv.lock ./
COPY libs/contracts/pyproject.toml libs/contracts/
COPY libs/runtime/pyproject.toml libs/runtime/
COPY libs/blobstore/pyproject.toml libs/blobstore/
COPY services/ocr/pyproject.toml services/ocr/
RUN uv sync --frozen --no-dev --no-install-workspace --no-install-package onnxruntime \
    --package docfleet-ocr
COPY libs/contracts/src libs/contracts/src
COPY libs/runtime/src libs/runtime/src
COPY libs/blobstore/src libs/blobstore/src
COPY services/ocr/src services/ocr/src
# onnxruntime-gpu provides the same `onnxruntime` module; its own needs (numpy, protobuf,
# flatbuffers, packaging) are already locked in. DOCFLEET_OCR_DEVICE=cuda (below) selects the CUDA
# provider; the worker falls back to the CPU, with a warning, when no GPU is seen.
RUN uv sync --frozen --no-dev --no-editable --no-install-package onnxruntime --package docfleet-ocr \
    && uv pip install --python /app/.venv/bin/python --no-deps \
        "onnxruntime-gpu==${ONNXRUNTIME_GPU_VERSION}"

FROM ${CUDA_IMAGE}
# opencv-python (pulled in by rapidocr) loads libGL and GLib at import time; tesseract with its
# English data is the second OCR engine (DOCFLEET_OCR_ENGINE=auto or tesseract).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgl1 libglib2.0-0t64 \
        tesseract-ocr tesseract-ocr-eng \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --no-log-init --create-home --home-dir /home/docfleet --uid 10001 \
    --user-group docfleet
COPY --from=build /opt/python /opt/python
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    DOCFLEET_METRICS_PORT=9464 DOCFLEET_LOG_FORMAT=json DOCFLEET_OCR_DEVICE=cuda
WORKDIR /home/docfleet
USER 10001:10001
EXPOSE 9464
# Workers drain on SIGTERM: in-flight activities checkpoint, then the process exits.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9464/healthz', timeout=4)"]
ENTRYPOINT ["python", "-m", "docfleet_ocr"]
