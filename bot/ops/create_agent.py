"""Creates an agent for the inbox: `make agent NAME=alice` (password from AGENT_PASSWORD or a prompt).

    python -m bot.ops.create_agent alice --display-name "Alice M."
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from bot.handoff.agents import MIN_PASSWORD_CHARS, AgentExists, create_agent
from bot.storage.database import database_url
from bot.storage.migrations import upgrade

PASSWORD_ENV = "AGENT_PASSWORD"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("username")
    parser.add_argument("--display-name", help="name customers see (default: the user name)")
    args = parser.parse_args(argv)
    password = os.environ.get(PASSWORD_ENV)
    if not password:
        password = getpass.getpass(f"Password for {args.username} (at least {MIN_PASSWORD_CHARS} characters): ")
        if password != getpass.getpass("Again: "):
            print("The passwords differ.", file=sys.stderr)
            return 1
    url = database_url()
    upgrade(url)
    try:
        agent_id = create_agent(args.username, password, args.display_name, database_url=url)
    except AgentExists:
        print(f"An agent called {args.username!r} exists already.", file=sys.stderr)
        return 1
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Agent {args.username!r} created (id {agent_id}). Log in at /agent/ on the bot's port.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
