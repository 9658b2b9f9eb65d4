# argmine: `make demo` sets up a fresh machine and runs the pipeline on the bundled corpus;
# `make test` runs the test suite (what .ci/run calls).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
SEED_CORPUS := $(wildcard ../shared/corpus)

.PHONY: setup browser doctools demo model lint test test-fast clean

setup: $(VENV)/.installed browser doctools

# The report's browser test drives Debian's chromium (never a downloaded browser). Installed only when
# /usr/bin/chromium is missing and we are root with apt (CI, a fresh Debian machine); otherwise a note,
# and the browser tests skip saying why. As root (CI) `make test` requires the browser.
IS_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo 1)
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$(IS_ROOT)" = 1 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  else \
	    echo "note: /usr/bin/chromium is missing (install it: sudo apt-get install chromium); browser tests will be skipped"; \
	  fi; \
	fi

# The format tests typeset corpus texts into PDFs with LaTeX and convert them with LibreOffice (Debian packages,
# never downloaded binaries). Installed only as root with apt; otherwise a note, and those tests skip saying why.
# As root (CI) `make test` requires them.
DOC_PACKAGES := texlive-latex-base texlive-latex-recommended texlive-fonts-recommended lmodern libreoffice-writer-nogui
doctools:
	@if [ ! -x /usr/bin/pdflatex ] || [ ! -x /usr/bin/soffice ] || ! kpsewhich lmodern.sty >/dev/null 2>&1; then \
	  if [ "$(IS_ROOT)" = 1 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DOC_PACKAGES); \
	  else \
	    echo "note: pdflatex/soffice are missing (install them: sudo apt-get install $(DOC_PACKAGES)); PDF/Word fixture tests will be skipped"; \
	  fi; \
	fi

# torch is pinned and installed first: 2.13.0 is a local CPU wheel; any other spec pulls GBs of CUDA.
$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The default stance/scenario model, trained on annotations/ into the argmine home ($ARGMINE_HOME, else the
# user data directory) when it is not built yet (CPU, minutes); `argmine run` then finds it from any folder.
model: setup
	$(BIN)/argmine model build --annotations annotations --config models/configs/default.toml

demo: setup model
	$(BIN)/argmine run corpus/texts $(SEED_CORPUS) --metadata corpus/manifest.csv --out results/demo --overwrite
	@echo "Results: results/demo (claims.jsonl, claims.parquet, claims.csv, documents.jsonl)"

# ruff and mypy (configured in pyproject.toml). mypy reads the package through a link tree that mirrors the
# installed layout (argmine -> pipeline/, argmine/evaluation -> evaluation/), rebuilt on every run.
lint: setup
	$(BIN)/ruff check pipeline evaluation tests scripts
	rm -rf .cache/typecheck && mkdir -p .cache/typecheck/argmine
	for f in pipeline/*; do ln -s ../../../$$f .cache/typecheck/argmine/; done
	ln -s ../../../evaluation .cache/typecheck/argmine/evaluation
	$(BIN)/mypy

test: setup lint
	ARGMINE_REQUIRE_BROWSER=$(IS_ROOT) ARGMINE_REQUIRE_DOCTOOLS=$(IS_ROOT) $(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not browser"

clean:
	rm -rf results reports .pytest_cache
