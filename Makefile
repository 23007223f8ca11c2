# Kontaktpunkt. `make run` serves the demo, `make test` runs every check; `make help` lists the rest.
# Needs only python3.11 on PATH: everything else goes into .venv (and, for `make test` as root, apt).

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3.11
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
UV := $(BIN)/uv
KP := $(BIN)/kontaktpunkt

HOST ?= 127.0.0.1
PORT ?= 8000

# System packages that `make test` installs with apt-get when it runs as root and they are missing.
APT_PACKAGES := chromium gettext dovecot-imapd

SQLITE_URL := sqlite:///$(CURDIR)/var/kontaktpunkt.sqlite3
PG_SERVER ?= postgres://postgres@127.0.0.1:5432
POSTGRES_URL := $(PG_SERVER)/kontaktpunkt
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
XDIST := $(if $(filter-out 0 1,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS))
RESULTS := var/test-results
MYPY_PATHS := kontaktpunkt bench tests conftest.py
BENCH_DIR := var/bench
BENCH ?=
LOCK_FLAGS ?=

# Stamps: a second `make run` or `make test` installs nothing unless a lock file or pyproject.toml changed.
STAMP_UV := $(VENV)/.stamp-uv-$(UV_VERSION)
STAMP_RUNTIME := $(VENV)/.stamp-runtime
STAMP_DEV := $(VENV)/.stamp-dev

# Seconds, to a tenth, since $$t0 (a `date +%s%N` reading) in the same shell.
ELAPSED = $$(ms=$$(( ($$(date +%s%N) - t0) / 1000000 )); printf '%d.%d' $$((ms / 1000)) $$((ms % 1000 / 100)))

# $(call step,label,command): run one check, tell how long it took; a failure stops `make`.
define step
@printf '\n== %s\n' '$(1)'; t0=$$(date +%s%N); $(2); rc=$$?; \
	printf -- '-- %s: %s in %s s\n' '$(1)' "$$([ $$rc = 0 ] && echo ok || echo FAILED)" "$(ELAPSED)"; \
	exit $$rc
endef

# $(call pytest_phase,name,environment,arguments): run pytest, keep its exit code, junit file and time
# under $(RESULTS) for the summary; never fails by itself.
define pytest_phase
rm -f $(RESULTS)/$(1).*; printf '\n== pytest: %s\n' '$(1)'; t0=$$(date +%s%N); \
env $(2) $(BIN)/pytest -q -rfEs --continue-on-collection-errors --junitxml=$(RESULTS)/$(1).xml $(3) $(PYTEST_ARGS); \
echo $$? > $(RESULTS)/$(1).rc; echo "$(ELAPSED)" > $(RESULTS)/$(1).seconds
endef

PHASE_SQLITE = $(call pytest_phase,sqlite,DATABASE_URL=$(SQLITE_URL),-m "not browser" $(XDIST))
PHASE_BROWSER = $(call pytest_phase,browser,DATABASE_URL=$(SQLITE_URL),-m browser tests/browser)
PHASE_POSTGRES = \
	if $(PY) -c "import psycopg; psycopg.connect('$(PG_SERVER)/postgres', connect_timeout=5).close()" 2>/dev/null; then \
		$(call pytest_phase,postgresql,DATABASE_URL=$(POSTGRES_URL),-m "not browser" --create-db $(XDIST)); \
	else \
		rm -f $(RESULTS)/postgresql.*; echo unreachable > $(RESULTS)/postgresql.rc; \
		printf '\n== pytest: postgresql\nPostgreSQL at %s does not answer\n' '$(PG_SERVER)'; \
	fi

# Reads $(RESULTS)/<phase>.{rc,xml,seconds}; prints one line per phase and the closing
# "test: N passed, M failed" line; exits 1 when any phase failed. Under CI=true, a phase that
# collected no tests or could not reach its service fails; a phase that failed without a failed
# test (a crash, pytest.exit) counts as one failure.
define SUMMARY_PY
import os
import sys
import time
import xml.etree.ElementTree as ET

results, phases = sys.argv[1], sys.argv[2:]
ci = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}
labels = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "browser": "browser (Chromium)"}


def read(path, default):
    return open(path).read().strip() if os.path.exists(path) else default


total_passed = total_failed = 0
ok = True
print()
for phase in phases:
    base = os.path.join(results, phase)
    rc = read(base + ".rc", "not run")
    passed = failed = skipped = 0
    if rc != "unreachable" and os.path.exists(base + ".xml"):
        for case in ET.parse(base + ".xml").iter("testcase"):
            kinds = {child.tag for child in case}
            if kinds & {"failure", "error"}:
                failed += 1
            elif "skipped" in kinds:
                skipped += 1
            else:
                passed += 1
    bad, note = rc not in {"0", "5", "unreachable"}, ""
    if rc == "5":
        bad, note = ci, " - no tests collected" + (", a failure under CI" if ci else "")
    elif rc == "unreachable":
        bad, note = ci, " - database server unreachable, phase " + ("FAILED under CI" if ci else "skipped")
    elif bad and failed == 0:
        note = " - pytest stopped with exit code " + rc
    if bad and failed == 0:
        failed = 1
    ok = ok and not bad
    total_passed += passed
    total_failed += failed
    seconds = read(base + ".seconds", "0.0")
    print(f"{labels.get(phase, phase)}: {passed} passed, {failed} failed, {skipped} skipped in {seconds} s{note}")
started = read(os.path.join(results, "started"), "")
if started:
    print(f"make test took {(time.time_ns() - int(started)) / 1e9:.1f} s")
print(f"test: {total_passed} passed, {total_failed} failed")
sys.exit(0 if ok else 1)
endef
export SUMMARY_PY
SUMMARY = $(PY) -c "$$SUMMARY_PY" $(RESULTS)

.PHONY: help run test test-sqlite test-postgresql test-browser lint typecheck check-migrations \
	check-messages messages bench lock clean install install-dev system-packages

help: ## list the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 28

# --- set-up -----------------------------------------------------------------------------------------

$(STAMP_UV):
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip --upgrade
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@rm -f $(VENV)/.stamp-uv-* && touch $@

$(STAMP_RUNTIME): requirements.lock pyproject.toml $(STAMP_UV)
	$(UV) pip install --python $(PY) -r requirements.lock
	$(UV) pip install --python $(PY) --no-deps -e .
	@touch $@

$(STAMP_DEV): requirements-dev.lock pyproject.toml $(STAMP_UV)
	$(UV) pip install --python $(PY) -r requirements-dev.lock
	$(UV) pip install --python $(PY) --no-deps -e .
	@touch $@

install: $(STAMP_RUNTIME) ## create .venv with what the app needs to run
install-dev: $(STAMP_DEV) ## add what the checks and tests need

var:
	@mkdir -p var

system-packages: ## apt-get install the missing APT_PACKAGES (when root)
	@missing=""; for p in $(APT_PACKAGES); do \
		status=$$(dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null); \
		case "$$status" in *"ok installed") ;; *) missing="$$missing $$p" ;; esac; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "== apt-get install$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends $$missing; \
	else \
		echo "warning: system packages missing:$$missing (as root: apt-get install$$missing)" >&2; \
	fi

# --- the two commands of the README -----------------------------------------------------------------

run: $(STAMP_RUNTIME) | var ## set up, migrate, load the demo world, serve on http://127.0.0.1:8000/
	$(KP) migrate --no-input
	$(KP) classify_train
	$(KP) demo
	$(KP) serve --host $(HOST) --port $(PORT)

test: $(STAMP_DEV) system-packages | var ## lint, types, migrations, messages; pytest on SQLite, PostgreSQL, Chromium
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS) && date +%s%N > $(RESULTS)/started
	$(call step,ruff check,$(BIN)/ruff check .)
	$(call step,ruff format --check,$(BIN)/ruff format --check .)
	$(call step,mypy,$(BIN)/mypy $(MYPY_PATHS))
	$(call step,makemigrations --check,DATABASE_URL=$(SQLITE_URL) $(KP) makemigrations --check --dry-run)
	$(call step,compiled messages are current,$(MAKE) check-messages)
	$(call step,classifier model (trained here when missing),$(KP) classify_train)
	@$(PHASE_SQLITE); $(PHASE_POSTGRES); $(PHASE_BROWSER); $(SUMMARY) sqlite postgresql browser

test-sqlite: $(STAMP_DEV) | var ## only the pytest suite on SQLite
	@mkdir -p $(RESULTS) && rm -f $(RESULTS)/started && $(PHASE_SQLITE); $(SUMMARY) sqlite

test-postgresql: $(STAMP_DEV) | var ## only the pytest suite on PostgreSQL
	@mkdir -p $(RESULTS) && rm -f $(RESULTS)/started && $(PHASE_POSTGRES); $(SUMMARY) postgresql

test-browser: $(STAMP_DEV) system-packages | var ## only the browser tests
	@mkdir -p $(RESULTS) && rm -f $(RESULTS)/started && $(PHASE_BROWSER); $(SUMMARY) browser

# --- single checks ----------------------------------------------------------------------------------

lint: $(STAMP_DEV) ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP_DEV) ## mypy
	$(BIN)/mypy $(MYPY_PATHS)

check-migrations: $(STAMP_DEV) | var ## fail when a model change has no migration
	DATABASE_URL=$(SQLITE_URL) $(KP) makemigrations --check --dry-run

check-messages: ## fail when a .mo file is not compiled from its current .po file
	@pos=$$(find kontaktpunkt -path '*/locale/*/LC_MESSAGES/*.po' | sort); \
	if [ -z "$$pos" ]; then echo "no .po files yet: nothing to check"; exit 0; fi; \
	tmp=$$(mktemp); status=0; \
	for po in $$pos; do \
		mo="$${po%.po}.mo"; \
		if ! msgfmt --check-format -o "$$tmp" "$$po"; then status=1; \
		elif [ ! -e "$$mo" ]; then echo "$$mo is missing: run make messages"; status=1; \
		elif ! cmp -s "$$tmp" "$$mo"; then echo "$$mo is not compiled from $$po: run make messages"; status=1; \
		else echo "$$mo is current"; fi; \
	done; \
	rm -f "$$tmp"; exit $$status

messages: $(STAMP_DEV) system-packages ## update locale/de from the code and templates, compile it
	cd kontaktpunkt && ../$(KP) makemessages -l de --add-location file
	cd kontaktpunkt && ../$(KP) compilemessages -l de

# --- other ------------------------------------------------------------------------------------------

bench: export DATABASE_URL := sqlite:///$(CURDIR)/$(BENCH_DIR)/bench.sqlite3
bench: export KP_DATA_DIR := $(CURDIR)/$(BENCH_DIR)
bench: $(STAMP_DEV) ## run the benchmarks on a throwaway SQLite database (BENCH=bench_x for one)
	rm -rf $(BENCH_DIR) && mkdir -p $(BENCH_DIR) docs
	$(KP) migrate --no-input -v 0
	$(PY) -m bench.run $(BENCH)

lock: $(STAMP_UV) ## recompile both lock files (LOCK_FLAGS=--upgrade to take newer versions)
	$(UV) pip compile --quiet pyproject.toml -o requirements.lock --python-version 3.11 $(LOCK_FLAGS)
	$(UV) pip compile --quiet pyproject.toml --extra dev -o requirements-dev.lock --python-version 3.11 $(LOCK_FLAGS)

clean: ## remove .venv, var/ and the tool caches
	rm -rf $(VENV) var .mypy_cache .ruff_cache kontaktpunkt.egg-info
