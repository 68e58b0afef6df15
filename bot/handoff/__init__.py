"""Handing conversations to human agents: queue, agents, callbacks, outbox, ratings."""
