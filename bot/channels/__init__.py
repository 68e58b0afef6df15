"""Rasa input channels of the public port: REST with the client's address, return-label routes."""

# The metadata key under which channels put the client's peer address (lookup rate limit).
CLIENT_ADDRESS_KEY = "client_address"
# The customer id a channel verified (from a signed customer token); channels remove whatever a
# client sent under this key, so only a verified id ever reaches the actions.
VERIFIED_CUSTOMER_KEY = "verified_customer_id"
