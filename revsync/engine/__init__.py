"""The sync engine: live state, plan, apply."""
