# Set-up commands for a newcomer: `make run` starts the bot, `make test` runs every test.
# Both create the virtual environment from the pinned lock file and train a model when none
# matches the current data.

PYTHON ?= python3
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed-$(shell cat requirements/lock.txt requirements/rasa.txt | sha1sum | cut -c1-12)
ST_VENV := .venv-schemathesis
ST_INSTALLED := $(ST_VENV)/.installed-$(shell cat requirements/schemathesis.txt | sha1sum | cut -c1-12)

.PHONY: install model run test browser widget shell benchmark lint validate clean seed customer-token agent

install: $(INSTALLED)

# Rasa 3.6 declares Python < 3.11 but runs on 3.11 with the pinned dependencies in
# requirements/lock.txt, so every package is installed exactly as pinned, without resolving.
$(INSTALLED): requirements/lock.txt requirements/rasa.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --no-deps -r requirements/lock.txt
	$(PY) -m pip install --quiet --no-deps --ignore-requires-python -r requirements/rasa.txt
	touch $@

model: install
	$(PY) -m bot.model_store

run: model widget
	$(PY) -m bot.launcher

test: model widget browser $(ST_INSTALLED)
	$(PY) -m pytest

# The website widget (web/widget): npm installs socket.io-client, esbuild and axe-core (for the
# browser tests) from the lock file, esbuild bundles it into web/widget/dist, which the bot serves.
WIDGET_SOURCES := $(wildcard web/widget/src/*) web/widget/build.mjs web/widget/package-lock.json
widget: web/widget/dist/widget.js

web/widget/dist/widget.js: $(WIDGET_SOURCES)
	cd web/widget && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent

# Schemathesis (the app channel's contract test) in its own environment: its dependencies clash
# with Rasa's pins.
$(ST_INSTALLED): requirements/schemathesis.txt
	rm -rf $(ST_VENV)
	$(PYTHON) -m venv $(ST_VENV)
	$(ST_VENV)/bin/python -m pip install --quiet -r requirements/schemathesis.txt
	touch $@

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null || apt-get install -y --no-install-recommends chromium \
		|| (apt-get update && apt-get install -y --no-install-recommends chromium)

shell: install
	$(PY) -m bot.shell

benchmark: install
	$(PY) -m bot.benchmark $(ARGS)

# Migrations, then demo orders into an empty database (`make run` does this by itself).
seed: install
	$(PY) -m bot.orders.seed

# A signed customer token for a demo customer: make customer-token EMAIL=anna.schmidt@example.com
customer-token: install
	$(PY) -m bot.orders.customer_token $(EMAIL)

# An agent for the inbox at /agent/: make agent NAME=alice (password from AGENT_PASSWORD or a prompt).
agent: install
	$(PY) -m bot.ops.create_agent $(NAME) $(if $(DISPLAY_NAME),--display-name "$(DISPLAY_NAME)")

validate: install
	$(VENV)/bin/rasa data validate --domain domain --fail-on-warnings

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) $(ST_VENV) models var results .rasa web/widget/node_modules web/widget/dist
