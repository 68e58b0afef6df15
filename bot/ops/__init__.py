"""Operator commands: creating agents and other admin tasks."""
