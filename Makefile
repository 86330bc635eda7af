# Crewbase: `make run` serves a demo on SQLite; `make test` runs the whole suite.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
# e.g. make run SERVE_ARGS="--port 8080 --workers 4"
SERVE_ARGS ?=

.PHONY: install run test lint format messages bench clean

install:
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	uv sync --frozen --quiet

run: install
	$(BIN)/crewbase migrate --no-input
	$(BIN)/crewbase demo
	$(BIN)/crewbase serve $(SERVE_ARGS)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Collect the console's text into the Indonesian catalogue and compile it (needs GNU gettext).
# Translate the new entries in src/crewbase/locale/id/LC_MESSAGES/django.po, then run it again.
messages: install
	cd src/crewbase && ../../$(BIN)/django-admin makemessages -l id --no-obsolete --add-location file \
		-i "templates/dev/*" --settings=crewbase.config.settings
	cd src/crewbase && ../../$(BIN)/django-admin compilemessages -l id --settings=crewbase.config.settings

clean:
	rm -rf var
