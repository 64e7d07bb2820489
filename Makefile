PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# An editable install leaves the package's bytecode to be written at first import, which
# PYTHONDONTWRITEBYTECODE forbids: compile it once here, as an installed wheel would be.
$(VENV)/.installed: pyproject.toml $(BIN)/activate
	$(BIN)/pip install -q -e .
	$(BIN)/python -m compileall -q i18n_pipeline migrations
	touch $@

$(VENV)/.installed-test: pyproject.toml $(BIN)/activate
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/python -m compileall -q i18n_pipeline migrations
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/i18n-pipeline run

test: $(VENV)/.installed-test lint
	$(BIN)/pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check i18n_pipeline tests bench migrations
	$(BIN)/ruff format --check i18n_pipeline tests bench migrations
	$(BIN)/mypy

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .i18n build reports
