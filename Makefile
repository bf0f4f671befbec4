# South Carolina Sports Medicine & Orthopaedic Center: the site's everyday commands.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test lint format migrations-check audit bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

# Every absolute address the site writes (canonical links, the sitemap, JSON-LD) uses this origin.
run: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed-run ## Set up the SQLite database with demo content, start the notification worker and serve http://$(HOST):$(PORT)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_content --spanish
	$(BIN)/python manage.py ensure_admin
	$(BIN)/python manage.py send_pending_notifications --every 10 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev ## Run the test suite (SQLite, or DATABASE_URL when set)
	$(BIN)/pytest

lint: $(VENV)/.installed-dev ## Check code style, templates and migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	DJANGO_SETTINGS_MODULE=settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-dev ## Format Python and templates in place
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

bench: $(VENV)/.installed-dev ## Time site search over 500 generated condition pages; serve pages under gunicorn + wrk (cached, uncached, static)
	$(BIN)/python scripts/bench_search.py
	$(BIN)/python scripts/bench_pages.py

$(VENV)/.installed-audit: requirements.txt requirements-audit.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-audit.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

audit: $(VENV)/.installed-audit node_modules/.package-lock.json ## Check every public page type: HTML validity, WCAG 2.2 AA (axe), Lighthouse, page weight; screenshots in audit-output/
	$(BIN)/python scripts/audit.py
