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

# `make run PORT=9000` picks the port; otherwise MOCKSERVER_PORT and the other MOCKSERVER_*
# variables apply as they do to the CLI. The clock starts at the wall clock's current minute (unless
# MOCKSERVER_START_TIME says otherwise), so an app's "in five minutes" is five minutes ahead of it.
run: $(STAMP)
	MOCKSERVER_START_TIME="$${MOCKSERVER_START_TIME:-now}" \
		$(BIN)/socialapi-mock serve $(if $(filter command line,$(origin PORT)),--port $(PORT))

# The inspector's browser tests drive Debian's chromium through Playwright. `make test` never
# installs it: this step does, once, when asked (as root or through sudo; .ci/run calls it). Without
# a browser, a local `make test` skips the browser tests and CI=true fails them.
chromium:
	@command -v chromium >/dev/null || { \
		echo "installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

test: $(STAMP)
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
# MODULES="store posts/create:tests/api/test_posts.py" measures those only (see tools/mutation.py).
mutation: $(STAMP)
	$(BIN)/pip install -q -e '.[test,mutation]'
	$(BIN)/python tools/mutation.py $(MODULES)

clean:
	rm -rf $(VENV) build dist *.egg-info
