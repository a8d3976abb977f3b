"""Shared domain rules and types with no dependencies on the rest of revsync."""
