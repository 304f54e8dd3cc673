# Minyi: the README's words are the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint security format e2e bench messages install clean-data

$(STAMP): requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

## run: the whole site on embedded defaults (or the servers the environment names)
run: $(STAMP) messages
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --no-input
	@if [ -f .data/demo-seeded ]; then \
		DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo --accounts-only; \
	else \
		DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo && touch .data/demo-seeded; \
	fi
	@echo
	@echo "Minyi is starting at http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/)"
	@echo "Press Ctrl-C to stop the web server, the Celery worker and beat."
	@echo
	DEBUG=$${DEBUG:-1} $(BIN)/honcho start

## test: lint, security scan, migrations check and the whole suite (unit, integration, browser)
test: $(STAMP) messages lint security
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
	DEBUG=1 $(BIN)/pytest $(PYTEST_ARGS)

## security: bandit over the project's code (its skips are justified in pyproject.toml)
security: $(STAMP)
	$(BIN)/bandit -q -r accounts api civic config consultations demands hearings moderation notifications surveys -c pyproject.toml

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

e2e: $(STAMP) messages
	DEBUG=1 $(BIN)/pytest -m e2e $(PYTEST_ARGS)

bench: $(STAMP) messages
	$(MAKE) -C bench all

clean-data:
	rm -rf .data
