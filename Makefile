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
# fonts-dejavu-core: DejaVu Sans, the catalog's font for mailing labels and packing slips (full Latin)
SYSTEM_PACKAGES := libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils libgs-common fonts-dejavu-core
# Only for the tests: a real browser and a real PostgreSQL.
# default-jre-headless, libjaxb-java: veraPDF's engine (PDF/UA-1 checks of the screen PDFs; tests/verapdf_harness.py)
# epubcheck: validates the EPUB editions (tests/test_epub.py)
TEST_PACKAGES := chromium postgresql default-jre-headless libjaxb-java epubcheck
# The test database role (local only; see tests/conftest.py).
PG_TEST_ROLE := pressroom_test

.PHONY: run test setup system test-system packages postgres python-deps bench baselines messages clean

run: setup
	$(PY) generate.py

test: setup test-system postgres
	$(PY) -m pytest

setup: system python-deps

system:
	@$(MAKE) --no-print-directory packages PACKAGES="$(SYSTEM_PACKAGES)"

test-system:
	@$(MAKE) --no-print-directory packages PACKAGES="$(TEST_PACKAGES)"

packages:
	@missing=""; \
	for pkg in $(PACKAGES); do \
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

# Start the local PostgreSQL cluster (creating one if there is none) and make
# the test role. Tests fail, not skip, when this did not work.
postgres:
	@if [ "$$(id -u)" = 0 ]; then AS_PG="su postgres -c"; else AS_PG="sudo -u postgres sh -c"; SUDO=sudo; fi; \
	cluster=$$(pg_lsclusters -h 2>/dev/null | head -1 | awk '{print $$1" "$$2}'); \
	if [ -z "$$cluster" ]; then \
	  version=$$(ls /usr/lib/postgresql | sort -n | tail -1); \
	  $$SUDO pg_createcluster $$version main >/dev/null && cluster="$$version main"; \
	fi; \
	$$SUDO pg_ctlcluster $$cluster start 2>/dev/null || pg_lsclusters -h | grep -q online \
	  || { echo "error: could not start PostgreSQL ($$cluster); the database tests will fail" >&2; exit 1; }; \
	$$AS_PG "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='$(PG_TEST_ROLE)'\"" | grep -q 1 \
	  || $$AS_PG "psql -qc \"CREATE ROLE $(PG_TEST_ROLE) LOGIN CREATEDB PASSWORD '$(PG_TEST_ROLE)'\""

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; Pressroom needs Python 3.11 (set PYTHON=...)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

python-deps: $(VENV)/.installed

bench: setup
	$(PY) bench/build.py
	$(PY) bench/catalog.py

# Refresh the approved page images used by tests/test_visual.py after a deliberate layout change.
baselines: setup
	$(PY) -m pytest tests/test_visual.py --update-baselines

# After changing the words in the layouts: extract them into messages.pot and
# merge the new ones into every language's catalogue (then translate them).
LOCALES := layouts/shared/locale
messages: setup
	$(VENV)/bin/pybabel extract -F babel.cfg -o $(LOCALES)/messages.pot --no-location --sort-output \
	  --project=Pressroom --version=1 --copyright-holder="Neurological Health Information Office" .
	@for po in $(LOCALES)/*/LC_MESSAGES/messages.po; do \
	  [ -f "$$po" ] || continue; \
	  $(VENV)/bin/pybabel update -i $(LOCALES)/messages.pot -o $$po -l $$(basename $$(dirname $$(dirname $$po))) \
	    --no-fuzzy-matching --ignore-obsolete; \
	done

# Everything the build and the tests generate; sources and the database (var/) stay.
clean:
	rm -rf output/pdf output/print output/thumbs output/jobs output/visual output/test-artifacts \
	  output/manifest.json output/.build-state.json
