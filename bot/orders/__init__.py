"""Orders: the order store, verification of the customer, status answers and lookup limits."""
