# API Explorer — every target sets up what it needs first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian packages the test suite needs: Qt's runtime libraries, headless Chromium, and
# desktop-file-validate for the desktop entry; Go, to run the Go code we generate.
APT_PACKAGES := libegl1 libgl1 libglib2.0-0 libxkbcommon0 libfontconfig1 libdbus-1-3 openssl curl chromium \
	desktop-file-utils golang-go
# Where a desktop looks for the user's own applications and icons (XDG base directories).
DATA_HOME := $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
ICON_SIZES := 16 32 48 64 128 256

.PHONY: run test lint format bench fuzz system-deps tools newman clean screenshot icons install-desktop uninstall-desktop

run: $(STAMP)
	@$(PY) -m compileall -q explorer bundled_server  # cached bytecode: a quicker start
	$(PY) main.py

test: $(STAMP) system-deps tools
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n auto --cov --cov-report=term

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/run_all.py

# The importer fuzz tests at length (make test runs a one-minute version).
FUZZ_EXAMPLES ?= 5000
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q --timeout=0 tests/fuzz

# The window's icon at every size, drawn from the SVG by Qt (the PNGs are committed).
icons: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.support.icons

# A menu entry and icons for this checkout, for the current user only (no root): the
# entry starts the gui-script of this checkout's .venv.
install-desktop: $(STAMP)
	@for size in $(ICON_SIZES); do \
		install -D -m 644 resources/icons/api-explorer-$$size.png \
			"$(DATA_HOME)/icons/hicolor/$${size}x$${size}/apps/api-explorer.png"; done
	install -D -m 644 resources/icons/api-explorer.svg "$(DATA_HOME)/icons/hicolor/scalable/apps/api-explorer.svg"
	mkdir -p "$(DATA_HOME)/applications"
	sed -e 's|^Exec=.*|Exec="$(CURDIR)/$(VENV)/bin/api-explorer-gui"|' \
		-e 's|^TryExec=.*|TryExec=$(CURDIR)/$(VENV)/bin/api-explorer-gui|' \
		resources/api-explorer.desktop > "$(DATA_HOME)/applications/api-explorer.desktop"
	@# Refresh the menu's cache where the desktop has the tool; harmless without.
	@if command -v update-desktop-database >/dev/null; then \
		update-desktop-database -q "$(DATA_HOME)/applications"; fi
	@echo "installed $(DATA_HOME)/applications/api-explorer.desktop"

uninstall-desktop:
	rm -f "$(DATA_HOME)/applications/api-explorer.desktop"
	rm -f "$(DATA_HOME)/icons/hicolor/scalable/apps/api-explorer.svg"
	@for size in $(ICON_SIZES); do \
		rm -f "$(DATA_HOME)/icons/hicolor/$${size}x$${size}/apps/api-explorer.png"; done
	@if command -v update-desktop-database >/dev/null; then \
		update-desktop-database -q "$(DATA_HOME)/applications"; fi

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Installs only what is missing, and only where apt-get exists and we may use it.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			echo "installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "missing Debian packages (install them):$$missing"; fi; \
	fi

# The peer tools whose formats we import and export, in a project-local prefix, for the
# round-trip tests (tests/support/peer_tools.py; each test skips when its tool is
# absent): newman (Postman's runner), bru (Bruno's), httpyac (.http files) and
# har-validator (HAR 1.2's schema). Installed only when missing and only where npm
# exists; nothing global is touched. httpie comes from PyPI with the dev extras.
# http-server is a static file server written outside this project, whose responses the
# explainer is compared with REDbot on.
NPM_TOOLS := newman@6.2.2 @usebruno/cli@4.1.0 httpyac@6.16.7 har-validator@5.1.5 http-server@14.1.1
TOOLS_STAMP := .tools/.installed-$(shell echo '$(NPM_TOOLS)' | cksum | cut -d' ' -f1)
# REDbot's venv: see below.
REDBOT_CONSTRAINTS := .ci/redbot-constraints.txt
REDBOT_STAMP := .tools/redbot/.installed-$(shell cksum < $(REDBOT_CONSTRAINTS) | cut -d' ' -f1)
tools: $(TOOLS_STAMP) $(REDBOT_STAMP)
newman: tools  # the old name of this target
$(TOOLS_STAMP):
	@if command -v npm >/dev/null; then \
		echo "installing $(NPM_TOOLS) into .tools"; \
		npm install --prefix .tools --no-audit --no-fund --silent $(NPM_TOOLS) && touch $@; \
	else echo "npm is missing: the tests that run newman, bru, httpyac and har-validator will be skipped (and the REDbot comparison, which needs http-server, will fail)"; fi

# REDbot (mnot/redbot), the HTTP resource linter the explainer is compared with
# (tests/e2e/test_explain_vs_redbot.py), in a venv of its own so that its dependencies
# (thor, httplint, cryptography …) never meet the app's. Pinned with every dependency;
# reinstalled only when the constraints change.
$(REDBOT_STAMP):
	@echo "installing REDbot into .tools/redbot"
	@rm -rf .tools/redbot
	$(PYTHON) -m venv .tools/redbot
	.tools/redbot/bin/pip install -q --disable-pip-version-check -c $(REDBOT_CONSTRAINTS) redbot==2.7.1
	@touch $@

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .coverage .coverage.* htmlcov
