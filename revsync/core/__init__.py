"""Shared types of revsync: locations, problems, desired entries, live objects, references,
steps, paths and ids. This package imports nothing else of revsync, so every layer can use it."""
