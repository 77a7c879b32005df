# The two commands of the README. Both create .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench dist container-check clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/socialapi-mock serve --host 127.0.0.1 --port 8080

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -q -n 2

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The wheel and sdist (fixtures, scenarios and licence inside) in dist/.
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m hatchling build -d dist
	@ls -l dist

# Builds the Dockerfile on a Debian base and runs its entry point and health check (minutes; root;
# not part of make test). Its last output is quoted in docs/ci.md.
container-check:
	.ci/container-check

clean:
	rm -rf $(VENV) build dist *.egg-info
