# Parcelcast — the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# The zero-setup default: SQLite and a file-system Celery broker, debug on.
DEV_ENV := DEBUG=$${DEBUG:-true}

.PHONY: install run test bench migrate seed clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput

seed: migrate
	$(DEV_ENV) $(PY) manage.py seed_demo

run: seed
	@echo ""
	@echo "  Parcelcast is starting on http://$(HOST):$(PORT)/app/"
	@echo "  Demo login: demo@parcelcast.test / trailhead-2026"
	@echo "  API docs:   http://$(HOST):$(PORT)/api/docs/"
	@echo ""
	$(DEV_ENV) HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile

test: install
	$(PY) -m pytest

bench: install
	@for script in bench/*.py; do $(PY) $$script || exit 1; done

clean:
	rm -rf var/broker var/celerybeat-schedule* var/parcelcast.sqlite3
