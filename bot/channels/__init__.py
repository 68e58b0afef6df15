"""Rasa input channels of the public port: REST with the client's address, return-label routes."""
