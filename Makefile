# Two commands: `make run` builds every publication, `make test` runs the suite.
# Both set up what is missing first: Debian packages, then .venv with pinned
# Python dependencies.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# libharfbuzz-subset0: WeasyPrint subsets fonts with HarfBuzz (fast, exact)
# libpango/libpangoft2: WeasyPrint's text layout
# poppler-utils: pdfinfo/pdftoppm, used by tests and for proofs
# libgs-common: default_cmyk.icc, the CMYK output intent of print files (PDF/X-4)
SYSTEM_PACKAGES := libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils libgs-common

.PHONY: run test setup system python-deps bench baselines clean

run: setup
	$(PY) generate.py

test: setup
	$(PY) -m pytest

setup: system python-deps

system:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	$(PYTHON) -c "import ensurepip" 2>/dev/null || missing="$$missing $(PYTHON)-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else \
	    echo "error: missing system packages:$$missing; install them as root: apt-get install$$missing" >&2; exit 1; fi; \
	  if ! command -v apt-get >/dev/null; then \
	    echo "error: missing system packages:$$missing, and apt-get is not available to install them" >&2; exit 1; fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing \
	    || { echo "error: could not install:$$missing (see the apt-get output above)" >&2; exit 1; }; \
	fi

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; Pressroom needs Python 3.11 (set PYTHON=...)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

python-deps: $(VENV)/.installed

bench: setup
	$(PY) bench/build.py

# Refresh the approved page images used by tests/test_visual.py after a deliberate layout change.
baselines: setup
	$(PY) -m pytest tests/test_visual.py --update-baselines

clean:
	rm -rf output/pdf output/manifest.json
