"""Returns: eligibility rules, creating a return, labels and their signed links, refund status."""
