# DocFleet: every target is a thin wrapper over `uv run`; `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
RUN := $(UV) run --frozen
SERVICES := fetcher ocr nlp storage orchestrator
PYTEST_ARGS ?=
BENCH_ARGS ?=
QUALITY_ARGS ?=

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-zA-Z0-9_%-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[1m%-18s\033[0m %s\n", $$1, $$2}'

.PHONY: install
install: ## install uv, the whole workspace (locked), redis-server and tesseract when missing
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	@bash infra/scripts/install-system-packages.sh
	$(UV) sync --all-packages --frozen

.PHONY: demo
demo: install ## run the fleet end to end on a generated sample batch, then stop it
	$(RUN) docfleet-demo

.PHONY: up
up: install ## like demo, but keep the fleet and the Temporal Web UI running until Ctrl-C
	$(RUN) docfleet-up

.PHONY: lint
lint: install ## ruff check and format check
	$(RUN) ruff check .
	$(RUN) ruff format --check .

.PHONY: format
format: install ## apply ruff's fixes and formatting
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

.PHONY: typecheck
typecheck: install ## mypy (strict) over every member and the tests
	$(RUN) mypy

.PHONY: test
test: install lint typecheck ## everything CI runs: lint, types, unit, integration and e2e tests
	$(RUN) pytest $(PYTEST_ARGS)

.PHONY: test-unit
test-unit: install ## fast tests only (no servers)
	$(RUN) pytest -m "not integration and not e2e" $(PYTEST_ARGS)

.PHONY: e2e
e2e: install ## the whole fleet as separate processes
	$(RUN) pytest tests/e2e $(PYTEST_ARGS)

.PHONY: faults
faults: install ## the fault tests: a real fleet broken on purpose (kill, restart, outages)
	$(RUN) pytest tests/faults $(PYTEST_ARGS)

.PHONY: bench
bench: install ## benchmarks (not part of test): fleet vs bare Temporal and bare OCR; BENCH_ARGS="--help"
	$(RUN) python -m benchmarks.run $(BENCH_ARGS)

.PHONY: quality
quality: install ## reading quality on ../shared/data/quality-dev (OCR, rotation, types, key fields); QUALITY_ARGS="--help"
	$(RUN) python -m quality.run $(QUALITY_ARGS)

.PHONY: record-histories
record-histories: install ## re-record the replay tests' workflow histories (after a deliberate change)
	$(RUN) python tests/replay/record_histories.py

.PHONY: $(addprefix test-,$(SERVICES))
$(addprefix test-,$(SERVICES)): test-%: install ## one service's tests (e.g. make test-ocr)
	$(RUN) pytest services/$* $(PYTEST_ARGS)

.PHONY: clean
clean: ## remove local state (.docfleet/: demo blobs, logs, Temporal database)
	rm -rf .docfleet
