"""What an operator needs to run the portal (SPEC section 12): probes, logs, errors, metrics, sessions."""
