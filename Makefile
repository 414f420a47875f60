PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser axe model redis demo test bench eval clean

$(STAMP): pyproject.toml requirements.lock
	@$(PY) -c "import sys; assert sys.version_info[:2] == (3, 11), sys.version" || { echo "error: Python 3.11 is required"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q pip==26.3
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install -q -c requirements.lock -e '.[dev]'  # setuptools' editable-install notice is not ours to act on
	touch $(STAMP)

install: $(STAMP) browser axe model redis

# The practice classifier's artifact (data/models/practices-<hash of the labelled data>.npz):
# fitted once here, so that extraction never imports scikit-learn nor trains at run time.
model: $(STAMP)
	@$(BIN)/python -m nlp.practice_model

# Debian's chromium for the web interface's browser tests (tests/test_web_browser.py): installed
# once, with apt-get as root; elsewhere a note, and those tests are skipped.
browser:
	@command -v chromium >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] \
	  && (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	  || echo "note: chromium is not installed (needs apt-get as root): the browser tests will be skipped"; }

# axe-core (npm) for the accessibility test of the web pages (tests/test_web_a11y.py), into
# tests/.node/ (git-ignored); without npm a note, and that test is skipped.
AXE_CORE := axe-core@4.10.3
axe:
	@test -f tests/.node/node_modules/axe-core/axe.min.js || { command -v npm >/dev/null 2>&1 \
	  && npm install --prefix tests/.node --no-audit --no-fund --silent $(AXE_CORE) \
	  || echo "note: npm is not available: the accessibility test will be skipped"; }

# Debian's redis-server for the shared crawl frontier's tests (tests/test_frontier.py starts and
# stops its own server on a free port): installed once, with apt-get as root; elsewhere a note,
# and those tests are skipped.
redis:
	@command -v redis-server >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] \
	  && (apt-get update -qq && apt-get install -y -qq redis-server >/dev/null) \
	  || echo "note: redis-server is not installed (needs apt-get as root): the crawl frontier tests will be skipped"; }

demo: $(STAMP) model
	$(BIN)/xdd demo

test: $(STAMP) browser axe model redis
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all

eval: $(STAMP)
	$(BIN)/python -m tests.eval_gate --report

clean:
	rm -rf $(VENV) data/xdd.duckdb data/xdd.duckdb.lock data/xdd.duckdb.next* data/xdd.index data/xdd.index.v* data/work
