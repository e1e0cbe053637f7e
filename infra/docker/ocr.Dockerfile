# DocFleet ocr worker: reads text from PDFs and images (PP-OCR on ONNX Runtime and Tesseract, CPU).
# Build from the repository root:  docker build -f infra/docker/ocr.Dockerfile -t docfleet-ocr .
ARG PYTHON_VERSION=3.11
ARG UV_VERSION=0.13.9

FROM ghcr.io/astral-sh/uv:${UV_VERSION} AS uv

FROM python:${PYTHON_VERSION}-slim-bookworm AS build
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_NO_CACHE=1 UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
# Locked third-party dependencies first: this layer changes only when uv.lock does. Only the
# workspace members docfleet-ocr depends on are copied (see tests/recipes).
COPY pyproject.toml uv.lock ./
COPY libs/contracts/pyproject.toml libs/contracts/
COPY libs/runtime/pyproject.toml libs/runtime/
COPY libs/blobstore/pyproject.toml libs/blobstore/
COPY services/ocr/pyproject.toml services/ocr/
RUN uv sync --frozen --no-dev --no-install-workspace --package docfleet-ocr
COPY libs/contracts/src libs/contracts/src
COPY libs/runtime/src libs/runtime/src
COPY libs/blobstore/src libs/blobstore/src
COPY services/ocr/src services/ocr/src
RUN uv sync --frozen --no-dev --no-editable --package docfleet-ocr

FROM python:${PYTHON_VERSION}-slim-bookworm
# opencv-python (pulled in by rapidocr) loads libGL and GLib at import time; tesseract with its
# English data is the second OCR engine (DOCFLEET_OCR_ENGINE=auto or tesseract).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 \
        tesseract-ocr tesseract-ocr-eng \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --no-log-init --create-home --home-dir /home/docfleet --uid 10001 \
    --user-group docfleet
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    DOCFLEET_METRICS_PORT=9464 DOCFLEET_LOG_FORMAT=json
WORKDIR /home/docfleet
USER 10001:10001
EXPOSE 9464
# Workers drain on SIGTERM: in-flight activities checkpoint, then the process exits.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9464/healthz', timeout=4)"]
ENTRYPOINT ["python", "-m", "docfleet_ocr"]
