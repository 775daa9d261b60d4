# Xieshang: `make demo` serves the demo county; `make test` runs the whole suite.
PYTHON := $(shell tools/find-python.sh)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test test-only lint venv messages serve worker clean

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || exit 1
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	@touch $@

venv: $(BIN)/.installed

messages: venv
	$(PY) manage.py compilemessages -v0 --ignore=.venv

demo: venv messages
	$(PY) manage.py migrate -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(BIN)/xieshang demo
	@echo "Starting the task worker and the web server on http://$(HOST):$(PORT)/ (Ctrl-C stops both)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/xieshang db_worker --interval 2 >var/worker.log 2>&1 & \
	  $(BIN)/xieshang runserver --noreload $(HOST):$(PORT)

serve: venv
	$(BIN)/xieshang runserver $(HOST):$(PORT)

worker: venv
	$(BIN)/xieshang db_worker

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy xieshang

test: venv messages
	@tools/install-system-deps.sh
	$(MAKE) lint
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# The suite alone (used by .ci/run for the PostgreSQL pass).
test-only: venv messages
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var tests/artifacts
