# The two commands: `make demo` and `make test`. Both create .venv and install on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test

.PHONY: install demo test lint run clean migration-checksums docs

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/schoolbot demo

run: install
	$(VENV)/bin/schoolbot run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy bot handlers models jobs tests benchmarks migrations

test: install
	$(PY) -m pytest -q
	@if $(PY) -m bot.pgcheck "$(PG_URL)"; then \
		echo "== PostgreSQL pass: TEST_DATABASE_URL=$(PG_URL) =="; \
		TEST_DATABASE_URL="$(PG_URL)" $(PY) -m pytest -q -m "db"; \
	else \
		echo ""; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!! PostgreSQL is not reachable at $(PG_URL)"; \
		echo "!! The PostgreSQL pass was SKIPPED; only SQLite was tested."; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

clean:
	rm -rf $(VENV) schoolbot.db .pytest_cache .mypy_cache .ruff_cache

# A landed migration is history: list its checksum, and never edit it again (tests check).
migration-checksums:
	cd migrations/versions && for f in 0*.py; do \
		grep -q "  $$f$$" ../released.txt || echo "$$(sha256sum $$f | cut -d' ' -f1)  $$f" >> ../released.txt; \
	done

# The README's import reference is written from the import kinds.
docs: install
	$(PY) -m models.importing.docs README.md
