# Parcelcast — the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in messages (tracking, unsubscribe, short links) point at this server unless set.
PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
# The zero-setup default: SQLite and a file-system Celery broker, debug on, webhooks to local receivers.
DEV_ENV := DEBUG=$${DEBUG:-true} WEBHOOKS_ALLOW_PRIVATE_TARGETS=$${WEBHOOKS_ALLOW_PRIVATE_TARGETS:-true}
# The demo's staff login for /admin/ (brands/demo.py).
ADMIN_LOGIN := admin@parcelcast.test / trailhead-admin-2026

.PHONY: install run test chaos fuzz bench bench-purge bench-ratelimit migrate seed clean browser screenshots apachebench messages

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# A development checkout's .env (written once, never overwritten): DEBUG=true, so that
# `python manage.py ...` (createaccount, invoice) works after `make run` as the README shows.
.env:
	@printf '%s\n' "# Written by make for this development checkout: the zero-setup defaults (SQLite," \
		"# file-system broker). Never deploy with it; production sets DEBUG=false (README)." "DEBUG=true" > .env

migrate: install .env
	$(DEV_ENV) $(PY) manage.py migrate --noinput

seed: migrate
	$(DEV_ENV) PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(PY) manage.py seed_demo

# Ctrl-C (or a SIGTERM) stops the three processes and ends the target cleanly: honcho passes
# the signal on, and their exit by that signal (130, 143) is the stop we asked for, not an error.
run: seed
	@echo ""
	@echo "  Parcelcast is starting on $(PUBLIC_BASE_URL)/app/"
	@echo "  Demo login:  demo@parcelcast.test / trailhead-2026"
	@echo "  Admin login: $(PUBLIC_BASE_URL)/admin/  $(ADMIN_LOGIN)"
	@echo "  API docs:    $(PUBLIC_BASE_URL)/api/docs/"
	@echo "  Sandbox outbox: $(PUBLIC_BASE_URL)/app/outbox/ (phone endings that fail on purpose: README)"
	@echo ""
	@trap 'kill -TERM $$pid 2>/dev/null; wait $$pid; echo "  Parcelcast stopped."; exit 0' INT TERM; \
	$(DEV_ENV) HOST=$(HOST) PORT=$(PORT) PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(VENV)/bin/honcho start -f Procfile & pid=$$!; \
	wait $$pid; status=$$?; \
	if [ $$status -eq 130 ] || [ $$status -eq 143 ]; then echo "  Parcelcast stopped."; exit 0; fi; exit $$status

test: install
	$(PY) -m pytest

# Fault injection only (database drops, Redis restarts, SIGKILLed workers, clock skew); `make test`
# runs them too. They need PostgreSQL and Redis (DATABASE_URL, CELERY_BROKER_URL) and skip without.
chaos: install
	$(PY) -m pytest -m chaos tests/chaos

# The schemathesis run alone, with more examples per operation (default 15 in `make test`).
fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-50} $(PY) -m pytest tests/security/test_api_fuzz.py tests/security/test_webhook_fuzz.py

# Debian's Chromium for the browser tests and screenshots (Playwright drives it; it never downloads one).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

# ApacheBench (Debian's apache2-utils), the C client of bench/tracking_page.py.
apachebench:
	command -v ab >/dev/null || (apt-get update -qq && apt-get install -y -qq apache2-utils)

# PNGs of the panel's main pages at desktop and phone width, from the demo data, into screenshots/.
screenshots: install browser
	$(PY) scripts/screenshots.py

# Benchmarks, one JSON object each, against the local PostgreSQL and Redis unless told otherwise.
# The invoicing bench runs a reduced month here; BENCH_INVOICING_CHARGES=5000000 for the full one.
BENCH_ENV := DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/parcelcast} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} \
	BENCH_INVOICING_CHARGES=$${BENCH_INVOICING_CHARGES:-500000} BENCH_INVOICING_ACCOUNTS=$${BENCH_INVOICING_ACCOUNTS:-1000}
bench: install apachebench
	@for script in bench/render.py bench/ingest.py bench/poll_explain.py bench/dispatch.py bench/latency.py bench/invoicing.py bench/tracking_page.py bench/webhooks.py; do \
		$(BENCH_ENV) $(PY) $$script || exit 1; done
	$(BENCH_ENV) BENCH_POLICY=1 $(PY) bench/dispatch.py

# The panel's message catalogs (locale/<lang>/LC_MESSAGES): refresh the .po files from the code,
# then compile the .mo files. Both are committed; needs GNU gettext (apt-get install gettext).
messages: install
	DEBUG=true $(PY) manage.py makemessages -l fr -l de -l nl -l es -l it --ignore=.venv --ignore=tests --ignore=var --ignore=bench --ignore=scripts
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

# Not in `make bench`: fills 10 M messages (30 min on a busy 2-core machine, ~9 GB; BENCH_PURGE_MESSAGES=2000000
# for a quicker run). What retention costs today against dropping a monthly partition (README).
bench-purge: install
	$(BENCH_ENV) $(PY) bench/purge.py

# The cost of one rate-limit check on Redis (sliding log against the old fixed window).
bench-ratelimit: install
	$(BENCH_ENV) $(PY) bench/ratelimit.py

clean:
	rm -rf var/broker var/celerybeat-schedule* var/parcelcast.sqlite3
