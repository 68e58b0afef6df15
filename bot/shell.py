"""`make shell`: Rasa's own command-line client (the one `rasa shell` uses), talking to the
running bot over its REST channel, so it exercises exactly what `make run` serves."""

from __future__ import annotations

import argparse
import asyncio
import uuid

from rasa.core.channels.console import record_messages

from bot.launcher import DEFAULT_PORT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=f"http://localhost:{DEFAULT_PORT}")
    parser.add_argument("--sender", default=f"shell-{uuid.uuid4().hex[:8]}")
    args = parser.parse_args()
    asyncio.run(record_messages(args.sender, server_url=args.url))


if __name__ == "__main__":
    main()
