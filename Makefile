# The two set-up commands: `make serve` (index corpus/ and serve it) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INDEX ?= instance/index
HOST ?= 127.0.0.1
PORT ?= 8000
CORPUS_FILES := $(shell find corpus -type f -not -name '.*' 2>/dev/null)

.PHONY: install serve index test lint browser clean solr solr-launcher

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# The index is rebuilt from corpus/ when it is missing or older than a corpus file.
$(INDEX)/.indexed: $(VENV)/.installed $(CORPUS_FILES)
	$(BIN)/hubbub index corpus --index $(INDEX)
	touch $@

index: $(INDEX)/.indexed

serve: $(INDEX)/.indexed
	$(BIN)/hubbub serve --index $(INDEX) --host $(HOST) --port $(PORT)

# Browser tests drive Debian's chromium; install it when we can (root with apt-get).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else \
	    echo "!!! chromium is not installed: browser tests will be SKIPPED (apt-get install chromium)"; \
	  fi; \
	fi

lint: $(VENV)/.installed
	$(BIN)/ruff check .

# The Solr engine's tests run against a real SolrCloud (solr/cluster, built with Maven
# from Maven Central on first use), started once per test run.
solr-launcher:
	solr/cluster --build

test: $(VENV)/.installed browser lint solr-launcher
	$(BIN)/pytest

# A two-node SolrCloud on loopback for trying `hubbub index --engine solr --solr URL`;
# Ctrl-C stops it. SOLR_DIR holds its logs and data.
SOLR_DIR ?= instance/solr
solr:
	solr/cluster --nodes 2 --dir $(SOLR_DIR)

clean:
	rm -rf $(VENV) instance test-artifacts

# Benchmark (bench/, docs/benchmarks.md): Hubbub on Whoosh and on tantivy against plain
# Whoosh, SQLite FTS5 and raw tantivy on generated archives of 10k and 100k documents,
# `/api/search` under 8 clients, then 16 readers for 60 s against `hubbub serve` on 100k
# documents, on each engine: steady, during a rebuild, and beside the hostile mix (the
# worst request of each kind, bench/hostile.py); then `hubbub index` from JSON-lines files
# against raw tantivy and plain Whoosh indexing the same files (docs/benchmarks-ingest.md).
# BENCH_ARGS adds options to the first part.
# `make bench-million`: the tantivy engine against raw tantivy at 1,000,000 documents.
# `make bench-solr`: the Solr engine against raw Solr on a local 2-node SolrCloud, with the
# tantivy engine beside them, at 100k and 1M documents (docs/benchmarks-solr.md).
BENCH_ARGS ?=

.PHONY: bench bench-million bench-solr

$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

bench: $(VENV)/.bench-installed
	$(BIN)/python -m bench.run --out docs/benchmarks.md --plot docs/benchmarks-latency.png --dump-comments 1000000 $(BENCH_ARGS)
	$(BIN)/python -m bench.soak --size 100000 --clients 16 --seconds 60 --engines whoosh,tantivy --out docs/benchmarks.md
	$(BIN)/python -m bench.ingest --size 100000 --out docs/benchmarks-ingest.md

bench-million: $(VENV)/.bench-installed
	$(BIN)/python -m bench.run --sizes 1000000 --engines hubbub-tantivy,tantivy --api-seconds 0 \
	  --out docs/benchmarks-million.md --plot docs/benchmarks-million.png

bench-solr: $(VENV)/.bench-installed
	$(BIN)/python -m bench.solr --sizes 100000,1000000 --queries 200 --out docs/benchmarks-solr.md

# Comment-extraction fidelity (bench/fidelity.py, docs/fidelity.md): the HTML reader scored
# against the hand-labelled saved pages in tests/fixtures/html/families; a report, never fails.
# `make bench-saved-pages`: index 2,000 saved pages of real weight made from those pages.
.PHONY: fidelity bench-saved-pages

fidelity: $(VENV)/.installed
	$(BIN)/python -m bench.fidelity --out docs/fidelity.md

bench-saved-pages: $(VENV)/.installed
	$(BIN)/python -m bench.saved_pages --pages 2000
