# Two commands for a fresh clone: `make run` and `make test`. Needs Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Django templates that djade formats and checks (the Django version it targets).
TEMPLATES := $(shell git ls-files 'templates/*.html' 2>/dev/null)
DJADE := $(BIN)/djade --target-version 5.2
# Translation catalogues: compiled to .mo (kept out of git) by babel, no system gettext needed.
PO := $(wildcard locale/*/LC_MESSAGES/*.po)
MO := $(PO:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test install lint format worker clean messages vendor-plotly

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/pybabel compile --domain django --directory locale
	touch $(STAMP)

# Recompiled whenever a catalogue is newer than its .mo (after editing a translation).
%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --input-file $< --output-file $@

messages: $(MO)

install: $(STAMP) $(MO)

# Web server, Celery worker and beat together; Ctrl-C stops them all. Development values
# (DEBUG on: the development key, demo sign-ins) unless the environment says otherwise.
# On the way out the worker gets a warm shutdown (TERM: it finishes its task) for
# STOP_SECONDS, then a cold one (QUIT), then KILL, so Ctrl-C never leaves it hanging.
# (tests/test_make_run.py sends Ctrl-C and checks that every process exits.)
STOP_SECONDS ?= 5
run: export DEBUG ?= true
run: $(STAMP) $(MO)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops the web server, worker and beat)"
	@$(BIN)/celery -A kamapp worker --beat --loglevel INFO --concurrency 2 & worker=$$!; \
	stop() { for signal in TERM QUIT KILL; do \
	  kill -$$signal $$worker 2>/dev/null || return 0; i=0; \
	  while kill -0 $$worker 2>/dev/null && [ $$i -lt $$(( $(STOP_SECONDS) * 5 )) ]; do sleep 0.2; i=$$((i+1)); done; \
	done; }; \
	trap 'stop; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production start-up (DEBUG off, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL from
# the environment): migrate, collect the static files (whitenoise serves them from their
# manifest), refuse to start on a deployment warning, then gunicorn. Workers: `make worker`.
WEB_WORKERS ?= 3
serve: $(STAMP) $(MO)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/gunicorn kamapp.wsgi --bind $(HOST):$(PORT) --workers $(WEB_WORKERS)

# A Celery worker with beat for production (run on as many machines as needed; beat on one).
worker: $(STAMP) $(MO)
	$(BIN)/celery -A kamapp worker --beat --loglevel INFO

test: $(STAMP) $(MO)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DJADE) --check $(TEMPLATES)

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(DJADE) $(TEMPLATES)

# plotly.js is vendored (CI has no npm): the partial "basic" bundle (scatter, bar and pie, the
# traces our charts use) and its Indonesian locale, as published on npm, with the version in
# their names. To update: `make vendor-plotly PLOTLY_JS_VERSION=x.y.z`, set PLOTLY_JS_VERSION
# in kamapp/settings.py to match, `git rm` the old files and run tests/e2e/test_charts.py.
PLOTLY_JS_VERSION ?= 4.1.1
PLOTLY_VENDOR := static/vendor/plotly
vendor-plotly:
	rm -rf var/npm && mkdir -p var/npm/basic var/npm/full
	cd var/npm && npm pack --silent plotly.js-basic-dist-min@$(PLOTLY_JS_VERSION) plotly.js@$(PLOTLY_JS_VERSION)
	tar -xzf var/npm/plotly.js-basic-dist-min-$(PLOTLY_JS_VERSION).tgz -C var/npm/basic
	tar -xzf var/npm/plotly.js-$(PLOTLY_JS_VERSION).tgz -C var/npm/full package/dist/plotly-locale-id.js
	mkdir -p $(PLOTLY_VENDOR)
	cp var/npm/basic/package/plotly-basic.min.js $(PLOTLY_VENDOR)/plotly-basic-$(PLOTLY_JS_VERSION).min.js
	cp var/npm/full/package/dist/plotly-locale-id.js $(PLOTLY_VENDOR)/plotly-locale-id-$(PLOTLY_JS_VERSION).js
	cp var/npm/basic/package/LICENSE $(PLOTLY_VENDOR)/LICENSE
	rm -rf var/npm

clean:
	rm -rf $(VENV) var staticfiles db.sqlite3 $(MO)
