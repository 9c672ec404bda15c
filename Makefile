# The two commands of the README: `make run` and `make test`. Everything else is a step they call.
VENV ?= .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/juesuan-qa
STAMP := $(VENV)/.installed
CORPUS ?= corpus

.PHONY: install model index run test lint eval bench clean browser servers

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	# torch before anything that depends on it: this exact version is a CPU wheel on disk.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

model: install
	$(CLI) prepare-model

# an index built by another version of the tool is rebuilt from the whole corpus, never patched;
# exit status 2 means some files were skipped (each said why) and the rest are in the index
index: model
	$(CLI) ingest $(CORPUS) || [ $$? -eq 2 ] || $(CLI) ingest --rebuild $(CORPUS)

run: index
	$(CLI) serve

# The browser test drives Debian's chromium (Playwright's own browser download fails offline), and
# asserts Chinese renders with real glyphs: the page uses system fonts, and fonts-noto-cjk gives them.
browser:
	command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	fc-list :lang=zh | grep -q . || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk)

# The server backend's tests start PostgreSQL (Debian's package) and `chroma run` on 127.0.0.1 themselves.
servers:
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql)

test: model browser servers
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check src tests benchmarks app.py

eval: index
	$(CLI) eval evals/seed.jsonl evals/pdf.jsonl

bench: model
	$(PY) benchmarks/bench_seed.py
	$(PY) benchmarks/bench_ingest.py

clean:
	rm -rf index .pytest_cache
