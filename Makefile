# argmine: `make demo` sets up a fresh machine and runs the pipeline on the bundled corpus;
# `make test` runs the test suite (what .ci/run calls).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
SEED_CORPUS := $(wildcard ../shared/corpus)

.PHONY: setup browser vendor-js labelstudio doctools demo model lint test test-fast clean lock

setup: $(VENV)/.installed browser vendor-js doctools

# The report's charts run Vega-Lite in the page; its JavaScript is inlined, never fetched. The pinned npm
# packages are unpacked at build time into pipeline/inspect/vendor/ (git-ignored: ~830 kB of minified JS).
VEGA_JS := pipeline/inspect/vendor/vega.min.js pipeline/inspect/vendor/vega-lite.min.js pipeline/inspect/vendor/vega-embed.min.js
NPM_PACKS := vega@6.4.0 vega-lite@6.4.3 vega-embed@7.3.0
vendor-js: $(VEGA_JS)

$(VEGA_JS):
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$(IS_ROOT)" = 1 ] && command -v apt-get >/dev/null 2>&1; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y npm; \
	  else echo "error: npm is needed once to unpack the report's Vega JavaScript (sudo apt-get install npm)"; exit 1; fi; fi
	@mkdir -p .cache/npm pipeline/inspect/vendor
	cd .cache/npm && npm pack --silent $(NPM_PACKS) >/dev/null
	for p in vega-6.4.0:vega vega-lite-6.4.3:vega-lite vega-embed-7.3.0:vega-embed; do \
	  tar xzf .cache/npm/$${p%%:*}.tgz -C .cache/npm package/build/$${p##*:}.min.js package/LICENSE && \
	  mv .cache/npm/package/build/$${p##*:}.min.js pipeline/inspect/vendor/ && \
	  mv .cache/npm/package/LICENSE pipeline/inspect/vendor/$${p##*:}.LICENSE; done

# A real Label Studio for the round-trip test (tests/test_labelstudio_server.py), in its own virtual
# environment: its pinned Django stack must not meet argmine's dependencies.
LS_VENV := .cache/ls-venv
labelstudio: $(LS_VENV)/bin/label-studio

$(LS_VENV)/bin/label-studio: constraints/label-studio.txt
	$(PY) -m venv $(LS_VENV)
	$(LS_VENV)/bin/pip install --quiet -c constraints/label-studio.txt 'label-studio>=1.20'

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
# Every version comes from constraints/ (a fresh set-up's `pip freeze`), so two set-ups resolve the same.
$(VENV)/.installed: pyproject.toml constraints/argmine.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints/argmine.txt torch==2.13.0
	$(BIN)/pip install --quiet -c constraints/argmine.txt -e '.[test]'
	touch $@

# Re-resolve the constraints from pyproject.toml in throw-away venvs (after changing a dependency).
lock:
	rm -rf .cache/lock-venv .cache/lock-ls-venv
	$(PY) -m venv .cache/lock-venv
	.cache/lock-venv/bin/pip install --quiet torch==2.13.0
	.cache/lock-venv/bin/pip install --quiet '.[test]'
	{ echo "# pip constraints of a fresh 'make setup' (Python 3.11, x86_64, CPU torch); regenerate with 'make lock'."; \
	  .cache/lock-venv/bin/pip freeze --exclude-editable | grep -v '^argmine'; } > constraints/argmine.txt
	$(PY) -m venv .cache/lock-ls-venv
	.cache/lock-ls-venv/bin/pip install --quiet 'label-studio>=1.20'
	{ echo "# pip constraints of the Label Studio venv of 'make labelstudio'; regenerate with 'make lock'."; \
	  .cache/lock-ls-venv/bin/pip freeze; } > constraints/label-studio.txt

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

test: setup labelstudio lint
	ARGMINE_REQUIRE_BROWSER=$(IS_ROOT) ARGMINE_REQUIRE_DOCTOOLS=$(IS_ROOT) ARGMINE_REQUIRE_LABELSTUDIO=1 $(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not browser"

clean:
	rm -rf results reports .pytest_cache
