# Set-up commands for a newcomer: `make run` starts the bot, `make test` runs every test.
# Both create the virtual environment from the pinned lock file and train a model when none
# matches the current data.

PYTHON ?= python3
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed-$(shell cat requirements/lock.txt requirements/rasa.txt | sha1sum | cut -c1-12)

.PHONY: install model run test browser shell benchmark lint validate clean seed customer-token agent

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

run: model
	$(PY) -m bot.launcher

test: model browser
	$(PY) -m pytest

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
	rm -rf $(VENV) models var results .rasa
