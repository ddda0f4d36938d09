# Entry points for a newcomer: `make demo` runs floto's main job on the local engine,
# `make notebook` opens JupyterLab on notebooks/, `make test` runs the test suite.
# Each creates the virtual environment it needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo notebook test test-pythons lint bench graphviz chromium prometheus clean

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

# A fast part of the suite on the oldest (3.10 or later: python_requires) and the newest
# Python that pyenv has here (`make test` runs on the default python3), each in a venv of
# its own (.venv-3.X.Y). Measured here (2 busy cores): 1-2 min to install and 1.5 min to run
# (567 tests), per Python.
PYENV_ROOT ?= $(HOME)/.pyenv
FAST_TESTS ?= tests/specs tests/history tests/dsl tests/public tests/observability

test-pythons: prometheus
	@pythons=$$(ls -d $(PYENV_ROOT)/versions/3.* 2>/dev/null | sort -V \
	  | awk -F/ '{split($$NF, v, "."); if (v[2] >= 10) print}' | sed -n '1p;$$p' | uniq); \
	test -n "$$pythons" || { echo "test-pythons: no Python under $(PYENV_ROOT)/versions"; exit 1; }; \
	for dir in $$pythons; do \
	  venv=.venv-$$(basename $$dir); \
	  if [ ! -f $$venv/.installed ] || [ setup.cfg -nt $$venv/.installed ]; then \
	    $$dir/bin/python -m venv $$venv && \
	    $$venv/bin/python -m pip install --quiet -e '.[local,metrics,tracing]' ipywidgets \
	      pytest pytest-timeout pytest-xdist hypothesis && touch $$venv/.installed || exit 1; \
	  fi; \
	  echo "== $$($$venv/bin/python --version)"; \
	  $$venv/bin/python -m pytest -q -p no:cacheprovider -n 2 --dist loadfile $(FAST_TESTS) \
	    || exit 1; \
	done

bench: $(VENV)/.installed graphviz
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
