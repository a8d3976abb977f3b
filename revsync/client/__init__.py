"""Talking to the Revenium API: credentials and the HTTP client."""
