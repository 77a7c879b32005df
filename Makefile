# The two commands of the README. Both create .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench dist container-check mutation clean chromium screenshots

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/socialapi-mock serve --host 127.0.0.1 --port 8080

# The inspector's browser tests drive Debian's chromium through Playwright: browsers cannot be
# downloaded here, so the distribution's package is installed when missing (as root, as CI runs).
chromium:
	@command -v chromium >/dev/null || { \
		echo "installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

test: $(STAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q -n 2

# docs/img/*.png: each panel of the inspector, photographed with a demo tenant.
screenshots: $(STAMP) chromium
	$(BIN)/python docs/screenshots.py

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/inspector.py
	$(BIN)/python bench/limits.py

# The wheel and sdist (fixtures, scenarios and licence inside) in dist/.
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m hatchling build -d dist
	@ls -l dist

# Builds the Dockerfile on a Debian base and runs its entry point and health check (minutes; root;
# not part of make test). Its last output is quoted in docs/ci.md.
container-check:
	.ci/container-check

# A measurement, not a gate: mutation score per core module into docs/quality.md (takes minutes).
mutation: $(STAMP)
	$(BIN)/pip install -q -e '.[test,mutation]'
	$(BIN)/python tools/mutation.py

clean:
	rm -rf $(VENV) build dist *.egg-info
