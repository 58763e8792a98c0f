# poa-kg: `make serve` builds and serves the graph, `make test` runs lint and the tests.
.DEFAULT_GOAL := help
UV := uv run --frozen

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' Makefile | awk -F':.*## ' '{printf "%-12s %s\n", $$1, $$2}'

install:  ## create the virtualenv with the locked packages
	@scripts/bootstrap.sh

install-tests:
	@scripts/bootstrap.sh tests

build: install  ## parse data/sources, validate, write data/turtle (skipped when nothing changed)
	$(UV) poa-kg build --if-changed

validate: install  ## SHACL-validate data/turtle
	$(UV) poa-kg validate data/turtle

serve: build  ## build, then serve the graph on http://127.0.0.1:8000
	$(UV) poa-kg serve

lint: install  ## ruff and mypy; fails on any finding
	$(UV) ruff check . && $(UV) ruff format --check . && $(UV) mypy

format: install  ## apply ruff's formatting and safe fixes
	$(UV) ruff format . && $(UV) ruff check --fix .

test: install-tests lint  ## lint, then every test, then a smoke test on Python 3.13
	$(UV) pytest
	scripts/smoke-python.sh 3.13

smoke-python: install  ## the smoke test alone on a second Python (scripts/smoke-python.sh 3.13)
	scripts/smoke-python.sh 3.13

test-fast: install-tests  ## the tests without live servers and browsers
	$(UV) pytest -m "not live and not browser"

bench: install  ## re-runnable benchmarks (see bench/README.md)
	$(UV) python -m bench

load: install-tests  ## 60 s load test with a data reload half way (bench/load.py)
	$(UV) python -m bench.load --seconds 60

attack: install-tests  ## the attack suite, 5 rounds, against a live server (bench/attack.py)
	$(UV) python -m bench.attack

virtuoso: install-tests  ## a throw-away Virtuoso on 127.0.0.1:8890 loaded with data/turtle (scripts/virtuoso.py)
	$(UV) python scripts/virtuoso.py

scale-out: install-tests  ## throughput of 1 and 2 replicas, embedded and on one Virtuoso (docs/deployment.md)
	$(UV) python -m bench.scale_out
	$(UV) python -m bench.scale_out --backend remote

fuzz: install-tests  ## long fuzz runs: 2,000 cases per parser property, 1,000+ API cases
	POA_KG_FUZZ_EXAMPLES=2000 $(UV) pytest -q tests/unit/test_robustness.py
	POA_KG_SCHEMA_EXAMPLES=40 $(UV) pytest -q -s tests/live/test_schema.py

.PHONY: help install install-tests build validate serve lint format test smoke-python test-fast bench load attack virtuoso scale-out fuzz
