"""A local emulator of the Revenium Platform API, written from `shared/revenium-api.md`.

It shares no code with revsync's client side: its job is to disagree with revsync
wherever revsync misunderstands the API.
"""

from .app import DEFAULT_API_KEY, DEFAULT_OWNER_ID, DEFAULT_TEAM_ID, Emulator
from .faults import FaultConfig

__all__ = ["DEFAULT_API_KEY", "DEFAULT_OWNER_ID", "DEFAULT_TEAM_ID", "Emulator", "FaultConfig"]
