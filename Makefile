# Entry points for a newcomer: `make demo` runs floto's main job on the local engine,
# `make notebook` opens JupyterLab on notebooks/, `make test` runs the test suite.
# Each creates the virtual environment it needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo notebook test lint bench graphviz chromium prometheus clean

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[all]'
	touch $@

# What `make demo` needs, and nothing more: floto and the local engine (the `local` extra).
# Skipped when the full install above has run.
$(VENV)/.installed-local: setup.cfg pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@if [ ! -f $(VENV)/.installed ] || [ setup.cfg -nt $(VENV)/.installed ]; then \
	  $(PY) -m pip install --quiet --upgrade pip && \
	  $(PY) -m pip install --quiet -e '.[local]'; fi
	touch $@

# Debian's graphviz provides `dot`, which floto.viz renders with.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq graphviz >/dev/null; }

# Debian's chromium, for the notebook test in a real browser (Playwright drives it through
# executable_path: no browser is ever downloaded).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Debian's prometheus, for the test that scrapes a running worker and decider with a real
# Prometheus server (started by the test on loopback; the package's own service is not used).
prometheus:
	@command -v prometheus >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq prometheus >/dev/null; }

demo: $(VENV)/.installed-local
	$(PY) examples/hello_world.py

lint: $(VENV)/.installed
	$(PY) -m ruff check floto tests bench examples
	$(PY) -m mypy

# JupyterLab on notebooks/, with floto and the widgets installed (the local engine starts
# from the notebooks themselves).
notebook: $(VENV)/.installed graphviz
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=notebooks \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# The suite mostly waits (on engines, processes, polls), so it runs in 4 pytest-xdist workers
# even on 2 cores; a file's tests stay together in one worker (they share its fixtures).
TEST_WORKERS ?= 4

test: $(VENV)/.installed graphviz chromium prometheus lint
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: $(VENV)/.installed graphviz
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
