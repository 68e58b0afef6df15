"""Rasa input channels of the public port: REST with the client's address, return-label routes."""

# The metadata key under which channels put the client's peer address (lookup rate limit).
CLIENT_ADDRESS_KEY = "client_address"
