# The two set-up commands of README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint schema demo bench bench-emulator bench-faults clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest

# schemas/manifest.schema.json is generated from revsync/kinds/*.schema.json; commit the result.
schema: $(STAMP)
	$(BIN)/revsync schema > schemas/manifest.schema.json.tmp
	mv schemas/manifest.schema.json.tmp schemas/manifest.schema.json

demo: $(STAMP)
	./scripts/demo.sh $(BIN)/revsync

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(if $(BENCH_SIZES),--sizes $(BENCH_SIZES)) $(if $(BENCH_PROFILE),--profile $(BENCH_PROFILE))

bench-emulator: $(STAMP)
	$(BIN)/python benchmarks/emulator.py

# issue 12: 6 seeds x 500 creates at 15% 429 + 10% 5xx + 10% lost write answers
bench-faults: $(STAMP)
	$(BIN)/python benchmarks/faults.py --seeds 6 --objects 500

clean:
	rm -rf $(VENV) .demo .pytest_cache .ruff_cache .hypothesis
