# strikewatch: every target bootstraps .venv from the pinned constraints first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint browser bench eval clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## create .venv with the locked versions

run: setup ## build warehouse/strikewatch.duckdb from seeds/, then warehouse/report.html
	$(BIN)/strikewatch run
	$(BIN)/strikewatch report

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

browser: ## Debian's chromium, for the HTML report's browser test
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium for the report test (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and apt-get unavailable: the report's browser test will be skipped"; fi; }

# Two workers, one per core; a test file runs on one worker, so that its module fixtures are
# built once. Files are handed out in the order tests/conftest.py gives them (slowest first),
# not by their number of tests, so that both workers finish together.
test: lint browser ## lint, then the whole test suite
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder

eval: setup ## score extraction on the seeds and both ../shared/dev sets (details in build/eval/)
	$(BIN)/python -m strikewatch.scoreboard

BENCH_SIZES ?= 10000

bench: setup browser ## extraction MB/s per core, issue 12's table (seeds and BENCH_SIZES articles, this checkout beside 87794f4), the report at 10,000 (docs/benchmarks.md)
	$(BIN)/python bench/extraction_speed.py $(if $(AGAINST),--against $(AGAINST))
	$(BIN)/python bench/run_bench.py --against 87794f4 --sizes $(BENCH_SIZES)
	$(BIN)/python bench/report_bench.py --articles 10000

clean:
	rm -rf $(VENV) warehouse/*.duckdb .prefect
